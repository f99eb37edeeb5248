#!/usr/bin/env python3
"""The collector's pauses side by side with Go's, from each one's gctrace.

Runs binary-trees (bench/binary_trees) and a large live heap under a stream
of garbage (live_heap.cpp / live_heap.go), each with gostack marking mostly
concurrently (the default), gostack marking with the world stopped
(GOSTACK_DEBUG=gcstoptheworld=1) and Go (GODEBUG=gctrace=1); best of --runs
for the time, and for the pauses the run with the shortest longest pause.
A pause is the world stopped in one collection: the first and last of the
three "ms clock" figures for both (gostack: first stop + final stop; Go:
sweep termination + mark termination).

  compare.py BUILD_DIR [--depth 21] [--live-mb 1024] [--rounds 4] [--runs 3]
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
sys.path.insert(0, BENCH)
from peers import go_peers, run_main, run_traced  # noqa: E402

# gostack: "0.142+2.119+0.103 ms clock" or "0.412 ms stop-the-world";
# Go: "0.012+617+0.003 ms clock".
PHASES = re.compile(r"^gc \d+ @[0-9.]+s[^:]*: ([0-9.]+)\+([0-9.]+)\+([0-9.]+) "
                    r"ms clock", re.M)
STOP_THE_WORLD = re.compile(r"^gc \d+ @[0-9.]+s: ([0-9.]+) ms stop-the-world",
                            re.M)


def pauses(trace):
    found = [float(first) + float(last)
             for first, _, last in PHASES.findall(trace)]
    found += [float(pause) for pause in STOP_THE_WORLD.findall(trace)]
    return sorted(found)


def measure(command, environment, runs):
    results = [run_traced(command, environment) for _ in range(runs)]
    seconds = min(result[0] for result in results)
    rss = max(result[1] for result in results)
    # The pauses of the run whose longest pause was shortest.
    best = min((pauses(result[3]) or [0.0] for result in results),
               key=lambda found: found[-1])
    return seconds, rss, best, results[0][2]


def report(title, rows):
    print(title)
    print(f"{'':28} {'seconds':>8} {'peak MiB':>9} {'GCs':>5} "
          f"{'longest ms':>11} {'p99 ms':>8} {'median ms':>10}")
    for name, (seconds, rss, found, _) in rows:
        p99 = found[max(0, int(len(found) * 0.99) - 1)]
        print(f"{name:28} {seconds:8.2f} {rss:9.0f} {len(found):5} "
              f"{found[-1]:11.3f} {p99:8.3f} {found[len(found) // 2]:10.3f}")
    base_seconds, base_rss, base_pauses, _ = rows[0][1]
    for name, (seconds, rss, found, _) in rows[1:]:
        print(f"  gostack vs {name}: time {base_seconds / seconds:.2f}x, "
              f"peak RSS {base_rss / rss:.2f}x, longest pause "
              f"{base_pauses[-1] / found[-1]:.2f}x")
    print()


def compare(title, gostack, go_binaries, arguments, runs):
    trace = {"GOSTACK_DEBUG": "gctrace=1"}
    rows = [
        ("gostack (mostly concurrent)", measure(gostack + arguments, trace,
                                                runs)),
        ("gostack (stop-the-world)",
         measure(gostack + arguments,
                 {"GOSTACK_DEBUG": "gctrace=1,gcstoptheworld=1"}, runs)),
    ] + [(go, measure([binary] + arguments, {"GODEBUG": "gctrace=1"}, runs))
         for go, binary in go_binaries]
    outputs = {row[1][3] for row in rows}
    if len(outputs) != 1:
        sys.exit(f"{title}: the programs printed different results")
    report(title, rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--depth", type=int, default=21)
    parser.add_argument("--live-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(f"{os.cpu_count()} cores; best of {args.runs} runs\n")
    trees_go = go_peers(os.path.join(BENCH, "binary_trees", "binary_trees.go"),
                        args.build, "bench-binary-trees-go")
    compare(f"binary-trees depth {args.depth}",
            [os.path.join(args.build, "bin", "bench-binary-trees"), "gostack"],
            trees_go, [str(args.depth)], args.runs)
    live_go = go_peers(os.path.join(HERE, "live_heap.go"), args.build,
                       "bench-live-heap-go")
    compare(f"live heap {args.live_mb} MB, {args.rounds}x its size in garbage",
            [os.path.join(args.build, "bin", "bench-live-heap")], live_go,
            [str(args.live_mb), str(args.rounds)], args.runs)


if __name__ == "__main__":
    run_main(main)
