#!/usr/bin/env python3
"""What lent stack addresses cost, side by side in one run.

  entry   a call of a managed setter whose parameter leaks: with its entry
          check (check_lent_address) and built with no-rewrite (none)
  move    one stack move while an unmanaged frame has lent an address (the
          world stops; every word the collector scans is looked at) and
          while none has, with 1 and 64 MiB of live GC objects

Best of --runs, alternating.

  compare.py BUILD_DIR [--runs 5] [--calls 200000000]
"""
import argparse
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
# The same best-of and table row as bench/stackmaps/compare.py.
_spec = importlib.util.spec_from_file_location(
    "stackmaps_compare", os.path.join(os.path.dirname(HERE), "stackmaps",
                                      "compare.py"))
_stackmaps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_stackmaps)
best_of, row = _stackmaps.best_of, _stackmaps.row


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=200000000)
    args = parser.parse_args(argv)
    program = os.path.join(args.build, "bin", "bench-lent")
    print("| benchmark | with lends / checked | without | ratio |")
    print("|---|---|---|---|")
    entry = best_of(args.runs, [program, "entry", str(args.calls)],
                    [("one", {})])
    row("call of a setter whose parameter leaks, entry check against none",
        entry[("one", "entry-checked")] * 1000,
        entry[("one", "entry-unchecked")] * 1000, "ps")
    for megabytes in (1, 64):
        move = best_of(args.runs, [program, "move", str(megabytes)],
                       [("one", {"GOSTACK_DEBUG": "stackmove=1"})])
        row(f"stack move, lent against not, {megabytes} MiB of GC objects",
            move[("one", "move-lent")] / 1e3,
            move[("one", "move-plain")] / 1e3, "us")


if __name__ == "__main__":
    main(sys.argv[1:])
