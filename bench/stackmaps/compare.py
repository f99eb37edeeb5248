#!/usr/bin/env python3
"""Stack maps against word-by-word stacks, side by side in one run.

  scan    a collection's pause with N goroutines parked in managed frames:
          by the maps, and with GOSTACK_DEBUG=stackmapsoff=1
  move    one stack move with 64 KiB and 1 MiB in use (stackmove=1 moves
          at every check), the same two ways
  fib     fib(38) built with stack maps and with no-stack-maps
  size    tinyxml2.cpp (../shared/realworld) compiled -O2 with managed=all,
          with and without maps: .text and the maps' section

Best of --runs for times, alternating the two sides.

  compare.py BUILD_DIR [--runs 5] [--goroutines 100000]
"""
import argparse
import os
import re
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from peers import run_main, run_measured  # noqa: E402

LLVM = "/usr/lib/llvm-19/bin"


def values(command, env):
    """name -> value of every "NAME: VALUE UNIT (check C)" line."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        _, _, output = run_measured(command)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {m.group(1): float(m.group(2)) for m in re.finditer(
        r"^([a-z-]+): ([0-9.]+) [a-z]+ \(check", output, re.M)}


def best_of(runs, command, sides):
    """For each side (label, env): the best value over runs, alternating."""
    best = {}
    for _ in range(runs):
        for label, env in sides:
            for name, value in values(command, env).items():
                key = (label, name)
                best[key] = min(best.get(key, value), value)
    return best


def row(title, maps, words, unit):
    print(f"| {title} | {maps:,.0f} {unit} | {words:,.0f} {unit} | "
          f"{maps / words:.2f}x |")


def code_size(build, source_dir):
    """(.text, gostack_stackmaps) bytes of tinyxml2.cpp with/without maps."""
    plugin = os.path.join(build, "lib", "libgostack-plugin.so")
    sizes = {}
    for label, extra in (("maps", []), ("no maps",
                                        ["-fplugin-arg-gostack-no-stack-maps"])):
        obj = os.path.join(source_dir, label.replace(" ", "") + ".o")
        subprocess.run([os.path.join(LLVM, "clang++"), "-std=c++20", "-O2",
                        "-c", "-fplugin=" + plugin,
                        "-fplugin-arg-gostack-managed=all", *extra,
                        "-I", os.path.join(ROOT, "runtime", "include"),
                        os.path.join(source_dir, "tinyxml2.cpp"), "-o", obj],
                       check=True)
        sections = subprocess.run([os.path.join(LLVM, "llvm-size"), "-A", obj],
                                  check=True, capture_output=True,
                                  text=True).stdout
        text = sum(int(m.group(1)) for m in re.finditer(
            r"^\.text\S*\s+(\d+)", sections, re.M))
        maps = sum(int(m.group(1)) for m in re.finditer(
            r"^gostack_stackmaps\s+(\d+)", sections, re.M))
        sizes[label] = (text, maps)
    return sizes


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--goroutines", type=int, default=100000)
    args = parser.parse_args(argv)
    program = os.path.join(args.build, "bin", "bench-stackmaps")
    sides = [("maps", {}), ("words", {"GOSTACK_DEBUG": "stackmapsoff=1"})]
    print("| benchmark | by the maps | word by word | ratio |")
    print("|---|---|---|---|")
    scan = best_of(args.runs, [program, "scan", str(args.goroutines)], sides)
    row(f"collection pause, {args.goroutines:,} parked goroutines",
        scan[("maps", "scan")] / 1e6, scan[("words", "scan")] / 1e6, "ms")
    for size, label in ((65536, "64 KiB"), (1 << 20, "1 MiB")):
        moving = [(name, dict(env, GOSTACK_DEBUG=",".join(
            filter(None, ["stackmove=1", env.get("GOSTACK_DEBUG")]))))
            for name, env in sides]
        move = best_of(args.runs, [program, "move", str(size)], moving)
        row(f"stack move, {label} in use", move[("maps", "move")] / 1e3,
            move[("words", "move")] / 1e3, "us")
    fib = best_of(args.runs, [program, "fib"], sides[:1])
    row("fib(38), maps against no-stack-maps", fib[("maps", "fib-maps")],
        fib[("maps", "fib-nomaps")], "ms")
    tarball = os.path.join(ROOT, "..", "shared", "realworld", "tinyxml2.tar.gz")
    with tempfile.TemporaryDirectory() as scratch:
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                if os.path.basename(member.name) in ("tinyxml2.cpp",
                                                     "tinyxml2.h"):
                    member.name = os.path.basename(member.name)
                    archive.extract(member, scratch)
        sizes = code_size(args.build, scratch)
    (text, maps), (plain_text, _) = sizes["maps"], sizes["no maps"]
    row("tinyxml2.cpp .text, maps against no-stack-maps", text / 1024,
        plain_text / 1024, "KiB")
    print(f"(and {maps / 1024:,.1f} KiB of gostack_stackmaps, "
          f"{maps / plain_text:.1%} of the .text without maps)")


if __name__ == "__main__":
    run_main(lambda: main(sys.argv[1:]))
