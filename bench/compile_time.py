#!/usr/bin/env python3
"""Compile-time cost of the gostack plugin, measured, never asserted.

1. A large translation unit (the standard library, nlohmann/json, {fmt})
   at -O2: with the plugin (managed=all, m) against without, in one run.
2. The analysis against function size: one generated managed function with
   1x, 10x and 100x the statements, -fsyntax-only, with minus without.

Usage: bench/compile_time.py BUILD_DIR [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

CLANGXX = "/usr/lib/llvm-19/bin/clang++"

LARGE_TU = r"""
#include <gostack/gostack.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>
#include <nlohmann/json.hpp>
#define FMT_HEADER_ONLY
#include <fmt/format.h>

struct Record { std::string name; std::vector<int> values; };

std::string describe(const Record &r) {
  return fmt::format("{}: {}", r.name, r.values.size());
}

int process(const std::string &text) {
  nlohmann::json doc = nlohmann::json::parse(text);
  std::map<std::string, Record> byName;
  for (auto &[key, value] : doc.items()) {
    Record r{key, {}};
    if (value.is_array())
      for (auto &v : value) r.values.push_back(v.get<int>());
    byName.emplace(key, std::move(r));
  }
  std::vector<std::string> lines;
  for (auto &[name, record] : byName) lines.push_back(describe(record));
  std::sort(lines.begin(), lines.end());
  std::unordered_map<std::string, std::function<int(int)>> ops;
  ops["twice"] = [](int x) { return 2 * x; };
  return static_cast<int>(lines.size()) + ops["twice"](1);
}
"""


def generated_function(copies):
    """A managed function whose body is `copies` blocks of pointer work."""
    block = """
  {{
    int a{i} = {i};
    int *p{i} = &a{i};
    Node *n{i} = gostack::go_new<Node>(p{i}, last);
    if (n{i}->value) last = n{i};
    for (int k = 0; k < 2; ++k) {{ int t = k; sum += *p{i} + t; }}
  }}"""
    body = "".join(block.format(i=i) for i in range(copies))
    return """#include <gostack/gostack.h>
struct Node {{ int *value; Node *next; }};
[[gostack::managed]] long generated() {{
  Node *last = nullptr;
  long sum = 0;{body}
  return sum + (last != nullptr);
}}
""".format(body=body)


def time_compile(args, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build_dir")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    build = os.path.abspath(opts.build_dir)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    plugin = ["-fplugin=%s/lib/libgostack-plugin.so" % build,
              "-fplugin-arg-gostack-managed=all", "-fplugin-arg-gostack-m"]
    include = ["-I%s/runtime/include" % root]

    with tempfile.TemporaryDirectory() as tmp:
        large = os.path.join(tmp, "large.cpp")
        with open(large, "w") as f:
            f.write(LARGE_TU)
        base = [CLANGXX, "-std=c++20", "-O2", "-c", large, "-o",
                os.path.join(tmp, "large.o")] + include
        without = time_compile(base, opts.runs)
        with_plugin = time_compile(base + plugin, opts.runs)
        print("large TU at -O2 (median of %d): without %.3f s, with plugin "
              "(managed=all, m) %.3f s, ratio %.3f (%+.1f%%)" %
              (opts.runs, without, with_plugin, with_plugin / without,
               100 * (with_plugin / without - 1)))

        print("analysis time against function size (-fsyntax-only, "
              "median of %d, with minus without):" % opts.runs)
        for copies in (20, 200, 2000):
            source = os.path.join(tmp, "gen%d.cpp" % copies)
            with open(source, "w") as f:
                f.write(generated_function(copies))
            base = [CLANGXX, "-std=c++20", "-fsyntax-only", source] + include
            plain = time_compile(base, opts.runs)
            analysed = time_compile(base + plugin[:1] + ["-fplugin-arg-gostack-m"],
                                    opts.runs)
            print("  %5d blocks (%6d lines): analysis %.4f s, %.2f us/block"
                  % (copies, 6 * copies, analysed - plain,
                     1e6 * (analysed - plain) / copies))


if __name__ == "__main__":
    sys.exit(main())
