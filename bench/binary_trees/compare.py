#!/usr/bin/env python3
"""binary-trees side by side: gostack, new/delete, Boehm and Go.

Runs each program on the same depth (best of --runs), checks that they all
print the same trees, and reports wall time, peak resident memory and the
ratios to gostack.

  compare.py BUILD_DIR [--depth 21] [--runs 3]
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from peers import go_peers, run_main, run_measured  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--depth", type=int, default=21)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    cxx = os.path.join(args.build, "bin", "bench-binary-trees")
    peers = [
        ("gostack (go_new)", [cxx, "gostack", str(args.depth)]),
        ("new/delete", [cxx, "newdelete", str(args.depth)]),
        ("Boehm GC_MALLOC", [cxx, "boehm", str(args.depth)]),
    ] + [(go, [binary, str(args.depth)])
         for go, binary in go_peers(os.path.join(HERE, "binary_trees.go"),
                                    args.build, "bench-binary-trees-go")]
    results = []
    reference = None
    for name, command in peers:
        runs = [run_measured(command) for _ in range(args.runs)]
        seconds = min(run[0] for run in runs)
        rss = max(run[1] for run in runs)
        output = runs[0][2]
        if reference is None:
            reference = output
        elif output != reference:
            sys.exit(f"{name} printed other trees than gostack")
        results.append((name, seconds, rss))

    print(f"binary-trees depth {args.depth}, best of {args.runs} runs, "
          f"{os.cpu_count()} cores")
    print(f"{'':20} {'seconds':>8} {'peak MiB':>9} {'time vs gostack':>16}")
    base = results[0][1]
    for name, seconds, rss in results:
        print(f"{name:20} {seconds:8.2f} {rss:9.0f} {seconds / base:15.2f}x")


if __name__ == "__main__":
    run_main(main)
