#!/usr/bin/env python3
"""Stack benchmarks side by side: gostack, Go and Boost.Context.

  parked  1M goroutines blocked on a channel: resident bytes each (gostack,
          Go, Boost.Context fibers on their default stacks)
  growth  a new goroutine recursing through 64 KiB and 1 MiB of 128-byte
          frames: ns per goroutine (gostack, Go)
  fib     fib(38) with prologue checks and the same code without (gostack)
  skynet  1M goroutines as a tree, on small growable stacks (gostack, Go)

Best of --runs for times, the median for memory; ratios to the first Go
(each toolchain in $GO, the first the reference; else `go` from PATH).

  [GO=go1:go2] compare.py BUILD_DIR [--runs 5] [--goroutines 1000000]
"""
import argparse
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from peers import go_peers, run_main, run_measured, take_turns  # noqa: E402


def value(command, name):
    """The value one run of command prints for benchmark name, and the
    check."""
    _, _, output = run_measured(command)
    match = re.search(name + r": ([0-9.]+) [a-z/]+ \(check (-?[0-9]+)\)",
                      output)
    if not match:
        sys.exit(f"{' '.join(command)} printed: {output!r}")
    return float(match.group(1)), match.group(2)


def compare(title, unit, peers, pick, runs):
    """Runs each (name, command, result name) peer, taking turns; prints
    values and the ratio to the first Go peer (the last peer if none)."""
    measured, failed = take_turns(
        [(name, (command, result)) for name, command, result in peers], runs,
        lambda run: value(*run))
    results = []
    for name in measured:
        if len({check for _, check in measured[name]}) != 1:
            sys.exit(f"{title}: {name} disagrees with itself: "
                     f"{measured[name]}")
        results.append((name, pick(v for v, _ in measured[name]),
                        measured[name][0][1]))
    if len({check for _, _, check in results}) != 1:
        sys.exit(f"{title}: the peers disagree: {results}")
    base = next((result[1] for result in results
                 if result[0].startswith("Go ")), results[-1][1])
    for name, picked, _ in results:
        print(f"{title:16} {name:16} {picked:12.1f} {unit:18} "
              f"{picked / base:6.2f}x")
    for name, reason in failed.items():
        print(f"{title:16} {name:16} failed: {reason}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--goroutines", type=int, default=1000000)
    args = parser.parse_args()

    go_stacks = go_peers(os.path.join(HERE, "stacks.go"), args.build,
                         "bench-stacks-go")
    go_goroutines = go_peers(
        os.path.join(os.path.dirname(HERE), "goroutines", "goroutines.go"),
        args.build, "bench-goroutines-go")
    cxx = os.path.join(args.build, "bin", "bench-stacks")
    skynet = os.path.join(args.build, "bin", "bench-goroutines")
    count = str(args.goroutines)

    print(f"{os.cpu_count()} cores; times best of {args.runs} runs, memory "
          "the median; ratios to the first Go of each group")
    compare("parked", "bytes/goroutine",
            [("Boost.Context", [cxx, "boost", "parked", count], "parked"),
             ("gostack", [cxx, "gostack", "parked", count], "parked")] +
            [(go, [binary, "parked", count], "parked")
             for go, binary in go_stacks],
            statistics.median, args.runs)
    for kib in ("64", "1024"):
        compare(f"growth {kib} KiB", "ns/goroutine",
                [("gostack", [cxx, "gostack", "growth", kib], "growth")] +
                [(go, [binary, "growth", kib], "growth")
                 for go, binary in go_stacks],
                min, args.runs)
    compare("fib(38)", "ms",
            [("checked", [cxx, "gostack", "fib", "38"], "fib-checked"),
             ("unchecked", [cxx, "gostack", "fib", "38"], "fib-unchecked")],
            min, args.runs)
    compare("skynet", "ns/goroutine",
            [("gostack", [skynet, "gostack", "skynet"], "skynet")] +
            [(go, [binary, "skynet"], "skynet") for go, binary in go_goroutines],
            min, args.runs)


if __name__ == "__main__":
    run_main(main)
