#!/usr/bin/env python3
"""Goroutine benchmarks side by side: gostack, Boost.Fiber and Go.

Runs skynet, spawn and pingpong for each (best of --runs), checks that the
results agree, and reports ns per operation, peak resident memory and the
ratios to Go.

  compare.py BUILD_DIR [--runs 3]
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from peers import build_go, go_version, run_measured  # noqa: E402

BENCHMARKS = ["skynet", "spawn", "pingpong"]


def measure(command):
    """ns/op, check value and peak RSS in MiB of one run."""
    _, rss, output = run_measured(command)
    match = re.search(r": ([0-9.]+) ns/op \(check (-?[0-9]+)\)", output)
    if not match:
        sys.exit(f"{' '.join(command)} printed: {output!r}")
    return float(match.group(1)), match.group(2), rss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    go_binary = build_go(os.path.join(HERE, "goroutines.go"), args.build,
                         "bench-goroutines-go")
    cxx = os.path.join(args.build, "bin", "bench-goroutines")
    peers = [("gostack", lambda b: [cxx, "gostack", b]),
             ("Boost.Fiber", lambda b: [cxx, "boost", b]),
             (go_version(), lambda b: [go_binary, b])]

    print(f"{os.cpu_count()} cores; best of {args.runs} runs; "
          "gostack and Go use every core, Boost.Fiber one thread")
    print(f"{'':10} {'':12} {'ns/op':>9} {'peak MiB':>9} {'vs Go':>7}")
    for benchmark in BENCHMARKS:
        results = []
        for name, command in peers:
            runs = [measure(command(benchmark)) for _ in range(args.runs)]
            checks = {run[1] for run in runs}
            results.append((name, min(run[0] for run in runs),
                            max(run[2] for run in runs), checks))
        if len({check for result in results for check in result[3]}) != 1:
            sys.exit(f"{benchmark}: the peers disagree: {results}")
        go_ns = results[-1][1]
        for name, ns, rss, _ in results:
            print(f"{benchmark:10} {name:12} {ns:9.1f} {rss:9.0f} "
                  f"{ns / go_ns:6.2f}x")


if __name__ == "__main__":
    main()
