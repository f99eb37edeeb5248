#!/usr/bin/env python3
"""gostack's analyzer checkers over the real-world projects: findings and time.

For every translation unit of each project built by test/projects/run.py
(its compile_commands.json: the plugin build, managed=all), runs Clang's
static analyzer twice, alternating: with the default checkers, and with the
default checkers plus gostack's (gostack:managed=all, as the build). Prints
the time of each side and every gostack finding (to be judged one by one),
and the same for the plain build's commands (nothing marked: only system
headers and unmarked code, so any finding there is a false positive).

  realworld.py PROJECTS_BUILD GOSTACK_BUILD [--runs 1] [--jobs 2]
               [--library-only] [--only leveldb,tinyxml2]

PROJECTS_BUILD is run.py's --build folder (leveldb/plugin, tinyxml2/...).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import time

# --library-only: the projects' own library code, without their tests,
# benchmarks and vendored code (leveldb's db_test.cc alone takes minutes).
LIBRARY_EXCLUDED = r"(_test|_bench|test|xmltest)\.(cc|cpp)$|/third_party/|/benchmarks/"
FINDING = re.compile(r"^(\S+:\d+:\d+): warning: (.*) \[(gostack\.\w+)\]$", re.M)


def analysis_command(entry, library, managed, gostack):
    args = shlex.split(entry["command"]) if "command" in entry else list(
        entry["arguments"])
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
        elif arg not in ("-c", "-MD", "-MMD"):
            kept.append(arg)
    kept += ["--analyze", "--analyzer-output", "text", "-o", os.devnull]
    if gostack:
        kept += ["-Xclang", "-load", "-Xclang", library,
                 "-Xclang", "-analyzer-checker=gostack",
                 "-Xclang", "-analyzer-config",
                 "-Xclang", "gostack:managed=" + managed]
    return kept, entry["directory"]


def analyse(job):
    command, directory = job
    start = time.monotonic()
    done = subprocess.run(command, cwd=directory, capture_output=True,
                          text=True, errors="replace")
    seconds = time.monotonic() - start
    output = done.stdout + done.stderr
    if done.returncode != 0:
        sys.exit("analysis failed: %s\n%s" % (" ".join(command), output[-2000:]))
    return seconds, FINDING.findall(output)


def side(entries, library, managed, gostack, jobs):
    """Total seconds over the units, and the gostack findings."""
    work = [analysis_command(e, library, managed, gostack) for e in entries]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(analyse, work))
    findings = sorted({f for _, found in results for f in found})
    return sum(s for s, _ in results), findings


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects")
    parser.add_argument("gostack_build")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--library-only", action="store_true")
    parser.add_argument("--only", default="leveldb,tinyxml2")
    args = parser.parse_args(argv)
    library = os.path.join(os.path.abspath(args.gostack_build), "lib",
                           "libgostack-analyzer.so")
    print("| project, build | units | default checkers | + gostack | ratio "
          "| gostack findings |")
    print("|---|---|---|---|---|---|")
    all_findings = []
    for project in args.only.split(","):
        for build, managed in (("plugin", "all"), ("plain", "marked")):
            path = os.path.join(args.projects, project, build,
                                "compile_commands.json")
            if not os.path.exists(path):
                print("| %s, %s | not built |" % (project, build))
                continue
            with open(path) as f:
                entries = [e for e in json.load(f)
                           if re.search(r"\.(cc|cpp|cxx)$", e["file"]) and
                           not (args.library_only and
                                re.search(LIBRARY_EXCLUDED, e["file"]))]
            best = {}
            for _ in range(args.runs):
                for gostack in (False, True):
                    seconds, findings = side(entries, library, managed,
                                             gostack, args.jobs)
                    best[gostack] = min(best.get(gostack, seconds), seconds)
                    if gostack:
                        kept = findings
            all_findings += [(project, build) + f for f in kept]
            print("| %s, %s (managed=%s) | %d | %.1f s | %.1f s | %.2fx | %d |"
                  % (project, build, managed, len(entries), best[False],
                     best[True], best[True] / best[False], len(kept)))
    for project, build, where, message, checker in all_findings:
        print("%s (%s) %s: %s [%s]" % (project, build, where, message, checker))


if __name__ == "__main__":
    main(sys.argv[1:])
