#!/usr/bin/env python3
"""Goroutine benchmarks side by side: gostack, Boost.Fiber and Go.

Runs skynet, spawn and pingpong for each (--runs times, the peers taking
turns), checks that the results agree, and reports ns per operation (the
best run and the worst: ping-pong can be bimodal), peak resident memory and
the ratios to Go (each toolchain in $GO, the first the reference; else `go`
from PATH).

  [GO=go1:go2] compare.py BUILD_DIR [--runs 5]
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from peers import go_peers, run_main, run_measured, take_turns  # noqa: E402

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
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    cxx = os.path.join(args.build, "bin", "bench-goroutines")
    peers = [("gostack", lambda b: [cxx, "gostack", b]),
             ("Boost.Fiber", lambda b: [cxx, "boost", b])]
    gos = go_peers(os.path.join(HERE, "goroutines.go"), args.build,
                   "bench-goroutines-go")
    peers += [(label, lambda b, binary=binary: [binary, b])
              for label, binary in gos]

    print(f"{os.cpu_count()} cores; best of {args.runs} runs; "
          "gostack and Go use every core, Boost.Fiber one thread")
    print(f"{'':10} {'':12} {'ns/op':>9} {'worst':>9} {'peak MiB':>9} "
          f"{'vs ' + gos[0][0]:>12}")
    for benchmark in BENCHMARKS:
        runs, failed = take_turns(
            [(name, command(benchmark)) for name, command in peers],
            args.runs, measure)
        results = [(name, min(run[0] for run in found),
                    max(run[0] for run in found),
                    max(run[2] for run in found),
                    {run[1] for run in found}) for name, found in runs.items()]
        if len({check for result in results for check in result[4]}) != 1:
            sys.exit(f"{benchmark}: the peers disagree: {results}")
        go_ns = results[len(results) - len(gos)][1]
        for name, ns, worst, rss, _ in results:
            print(f"{benchmark:10} {name:12} {ns:9.1f} {worst:9.1f} {rss:9.0f} "
                  f"{ns / go_ns:11.2f}x")
        for name, reason in failed.items():
            print(f"{benchmark:10} {name:12} failed: {reason}")


if __name__ == "__main__":
    run_main(main)
