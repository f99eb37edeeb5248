// A real-world translation unit using most of the standard library
// (regex, threads, ranges, variant, filesystem...), analysed with
// managed=all and m=2: no crash, verdicts reached, iterators of range-for
// loops never named.
// RUN: %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics %plugin %runtime_include -include gostack/gostack.h -fplugin-arg-gostack-managed=all -fplugin-arg-gostack-m=2 %s 2>&1 | FileCheck %s --implicit-check-not="remark: moved to heap: __"
// RUN: %clangxx -std=c++20 -O2 -c %plugin %runtime_include -include gostack/gostack.h -fplugin-arg-gostack-managed=all %s -o %t.o

// CHECK: remark: lambda escapes to heap
// CHECK: remark: lambda does not escape

#include <algorithm>
#include <any>
#include <atomic>
#include <bitset>
#include <charconv>
#include <chrono>
#include <complex>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <forward_list>
#include <fstream>
#include <functional>
#include <future>
#include <iomanip>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <queue>
#include <random>
#include <ranges>
#include <regex>
#include <set>
#include <shared_mutex>
#include <span>
#include <sstream>
#include <stack>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>
int run(int argc, char **argv) {
  std::vector<std::string> args(argv, argv + argc);
  std::map<std::string, int> counts;
  for (auto &a : args)
    counts[a]++;
  std::regex re("a+");
  std::smatch m;
  std::string s = "caaat";
  bool found = std::regex_search(s, m, re);
  std::ostringstream out;
  out << found << counts.size();
  std::variant<int, std::string> v = 3;
  std::optional<int> o = std::get<int>(v);
  std::shared_ptr<int> sp = std::make_shared<int>(*o);
  std::thread t([sp] { (void)*sp; });
  t.join();
  std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto even = args | std::views::filter([](const std::string &x) {
                return x.size() % 2 == 0;
              });
  int n = 0;
  for (auto &e : even)
    n += int(e.size());
  std::sort(args.begin(), args.end(),
            [](const std::string &a, const std::string &b) { return a < b; });
  std::any any = 3;
  std::function<int(int)> f = [&](int x) { return x + n; };
  std::mt19937 gen(1);
  std::uniform_int_distribution<int> dist(0, 9);
  return f(dist(gen)) + int(out.str().size());
}
