// Moved variables in the constructs that need care, compiled at -O0 and -O2
// and run: a range-for variable (a fresh heap object per iteration), a
// condition variable, a constant also used as a constant by a lambda that
// does not capture it, an auto variable captured by an escaping lambda,
// template instantiations, a returned local (no NRVO once moved), nested
// lambdas, a member function.
// RUN: %gostack_cxx -O0 %s -o %t0 %gostack_link && %t0 | FileCheck %s
// RUN: %gostack_cxx -O2 %s -o %t2 %gostack_link && %t2 | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

std::vector<int *> kept;
int *global;

[[gostack::managed]] void rangeFor(const std::vector<int> &values) {
  for (int x : values)
    kept.push_back(&x);
}

[[gostack::managed]] void condition(int k) {
  if (int x = k * 2)
    global = &x;
}

[[gostack::managed]] int constant() {
  const int n = 5;
  global = const_cast<int *>(&n);
  auto twice = [] { return n * 2; }; // reads n without capturing it
  return twice();
}

[[gostack::managed]] std::function<std::string()> captured() {
  auto s = std::string("auto");
  return [&s] { return s + "!"; };
}

template <class T> [[gostack::managed]] T *address(T v) {
  T local = v;
  return &local;
}

std::string *lastReturned;
[[gostack::managed]] std::string returned() {
  std::string s = "returned";
  lastReturned = &s;
  return s;
}

[[gostack::managed]] int nested() {
  int x = 1;
  auto outer = [&] {
    auto inner = [&] { global = &x; };
    inner();
  };
  outer();
  return x;
}

struct Object {
  int value;
  [[gostack::managed]] int *member(int a) {
    int local = a + value;
    return &local;
  }
};

int main() {
  rangeFor({1, 2, 3});
  std::printf("range-for: %d %d %d\n", *kept[0], *kept[1], *kept[2]);
  // CHECK: range-for: 1 2 3
  condition(21);
  std::printf("condition: %d\n", *global);
  // CHECK: condition: 42
  int twice = constant();
  std::printf("constant: %d %d\n", *global, twice);
  // CHECK: constant: 5 10
  std::printf("captured: %s\n", captured()().c_str());
  // CHECK: captured: auto!
  std::printf("templates: %d %s\n", *address(42),
              address(std::string("text"))->c_str());
  // CHECK: templates: 42 text
  std::string r = returned();
  std::printf("returned: %s, kept %zu bytes\n", r.c_str(),
              lastReturned->size());
  // C++ moves from the returned local (docs/REWRITE.md): the heap object is
  // left moved-from.
  // CHECK: returned: returned, kept 0 bytes
  std::printf("nested: %d %d\n", nested(), *global);
  // CHECK: nested: 1 1
  Object o{5};
  std::printf("member: %d\n", *o.member(3));
  // CHECK: member: 8
}
