#!/usr/bin/env python3
"""Counts the plugin's remarks over a whole project, for the figures of
docs/ESCAPE.md and of issue notes: how much of real code it moves to the
heap, and which leaks it reports.

Re-runs every compile command of a compile_commands.json (a build with the
plugin and managed=all) with -fsyntax-only -fplugin-arg-gostack-m, keeps the
remarks about the project's own files (not those under --exclude), counts
each remark once (a header's remarks come from every unit that includes
it), and prints, per kind, the count and the rate per 1000 lines of the
project's own sources.

usage: remark-stats.py BUILD_DIR SOURCE_DIR [--exclude DIR]... [--plugin SO]
--plugin runs another build of the plugin instead of the one in the
commands (to compare before and after a change).
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

REMARK = re.compile(r"^(.*?):(\d+):(\d+): remark: (.*)$")
STD_VALUE = re.compile(r"\b(string|vector|map|set|deque|list|function|"
                       r"optional|unordered_\w+|array)\b")


def remarks_of(entry, plugin=None):
    command = entry.get("arguments") or shlex.split(entry["command"])
    command = [a for a in command if a not in ("-c",)]
    if plugin:
        command = ["-fplugin=" + plugin if a.startswith("-fplugin=") else a
                   for a in command]
    if "-o" in command:
        index = command.index("-o")
        del command[index:index + 2]
    command += ["-fsyntax-only", "-fplugin-arg-gostack-m",
                "-fno-color-diagnostics", "-fno-caret-diagnostics"]
    done = subprocess.run(command, cwd=entry["directory"], capture_output=True,
                          text=True, errors="replace")
    found = set()
    for line in done.stderr.splitlines():
        match = REMARK.match(line)
        if match:
            path = os.path.normpath(os.path.join(entry["directory"],
                                                 match.group(1)))
            found.add((path, int(match.group(2)), int(match.group(3)),
                       match.group(4)))
    return found


def kind_of(remark, sources):
    path, line, column, text = remark
    if text.startswith("moved to heap"):
        return "moved to heap"
    if text.startswith("leaking param: this"):
        return "leaking param: this"
    if text.startswith("leaking param"):
        declaration = sources.get(path, [""] * line)[line - 1][:column - 1]
        if STD_VALUE.search(declaration):
            return "leaking param (std::string/container)"
        return "leaking param (other)"
    if text.endswith("escapes to heap") and text.startswith("go_new"):
        return "go_new escapes"
    if text.startswith("lambda escapes"):
        return "lambda escapes"
    return None


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build")
    parser.add_argument("source")
    parser.add_argument("--exclude", action="append", default=[])
    parser.add_argument("--plugin")
    args = parser.parse_args(argv)
    source = os.path.abspath(args.source)
    excluded = [os.path.join(source, e) for e in args.exclude]

    def own(path):
        return path.startswith(source) and not any(
            path.startswith(e) for e in excluded)

    with open(os.path.join(args.build, "compile_commands.json")) as f:
        entries = [e for e in json.load(f)
                   if e["file"].endswith((".cc", ".cpp", ".cxx"))]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        everything = set().union(
            *pool.map(lambda e: remarks_of(e, args.plugin), entries))
    mine = {r for r in everything if own(r[0])}

    lines = 0
    sources = {}
    for root, _, files in os.walk(source):
        for name in files:
            path = os.path.join(root, name)
            if own(path) and name.endswith((".cc", ".cpp", ".h", ".hpp")):
                with open(path, errors="replace") as text:
                    sources[path] = text.read().splitlines()
                lines += len(sources[path])

    counts = {}
    for remark in mine:
        kind = kind_of(remark, sources)
        if kind:
            counts[kind] = counts.get(kind, 0) + 1
    print("%d translation units, %d lines of the project's own code" % (
        len(entries), lines))
    for kind in sorted(counts):
        print("%-42s %6d  %6.2f per 1000 lines" % (
            kind, counts[kind], 1000.0 * counts[kind] / max(lines, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
