#!/usr/bin/env python3
"""How long an editor waits for gostack's verdicts, measured, never asserted.

gostack-lsp runs a file's compile command syntax-only with the plugin on
every save (docs/EDITORS.md). For a small file (examples/newint.cpp) and for
the largest translation unit of each real-world project (leveldb, tinyxml2
from ../shared/realworld, configured as the real-projects suite configures
them: managed=all), this reports, best of N saves in one run:
  - the latency from didSave to publishDiagnostics, through gostack-lsp;
  - the same file's plain `clang++ -fsyntax-only` without the plugin, the
    parse every C++ language server (clangd) pays anyway;
and their ratio.

Usage: bench/lsp_latency.py BUILD_DIR [--runs N] [--tarballs DIR]
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "test", "lsp", "Inputs"))
from lspclient import Client, uri  # noqa: E402

LLVM = "/usr/lib/llvm-19/bin"


def configure(name, tarballs, work, build):
    """Unpacks and configures a real-world project with the plugin; returns
    its compile_commands.json entries."""
    with tarfile.open(os.path.join(tarballs, name + ".tar.gz")) as tar:
        tar.extractall(work)
    source = os.path.join(work, name)
    if name == "leveldb":
        # Its GoogleTest submodule is empty in the snapshot.
        os.rmdir(os.path.join(source, "third_party", "googletest")) \
            if not os.listdir(os.path.join(source, "third_party",
                                           "googletest")) else None
        subprocess.run(["cp", "-r", "/usr/src/googletest",
                        os.path.join(source, "third_party", "googletest")],
                       check=True)
    folder = os.path.join(work, name + "-build")
    lib = os.path.join(build, "lib")
    extra = {"leveldb": ["-DCMAKE_CXX_STANDARD=17",
                         "-DLEVELDB_BUILD_BENCHMARKS=OFF"],
             "tinyxml2": ["-Dtinyxml2_BUILD_TESTING=ON"]}[name]
    subprocess.run(
        ["cmake", "-S", source, "-B", folder, "-G", "Ninja",
         "-DCMAKE_BUILD_TYPE=Release",
         "-DCMAKE_CXX_COMPILER=%s/clang++" % LLVM,
         "-DCMAKE_C_COMPILER=%s/clang" % LLVM,
         "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
         "-DCMAKE_CXX_FLAGS=-fplugin=%s -fplugin-arg-gostack-managed=all "
         "-I%s" % (os.path.join(lib, "libgostack-plugin.so"),
                   os.path.join(ROOT, "runtime", "include"))] + extra,
        check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(folder, "compile_commands.json")) as f:
        return folder, [e for e in json.load(f)
                        if e["file"].endswith((".cc", ".cpp"))]


def plain_parse(entry):
    """Seconds for the compile command, syntax-only, without the plugin."""
    args = shlex.split(entry["command"])
    keep, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
        elif arg in ("-c", "-MD", "-MMD") or arg.startswith("-fplugin"):
            continue
        else:
            keep.append(arg)
    start = time.monotonic()
    subprocess.run(keep + ["-fsyntax-only"], cwd=entry["directory"],
                   check=True, stderr=subprocess.DEVNULL)
    return time.monotonic() - start


def lsp_latency(server, database, entry, runs):
    """Best of runs: didSave to publishDiagnostics, and the diagnostic
    count."""
    path = entry["file"]
    client = Client([server, "--compile-commands-dir=" + database],
                    entry["directory"])
    client.open(path)
    count = len(client.diagnostics(path, timeout=600))
    best = None
    for _ in range(runs):
        start = time.monotonic()
        client.save(path)
        client.diagnostics(path, timeout=600)
        elapsed = time.monotonic() - start
        best = elapsed if best is None else min(best, elapsed)
    client.shutdown()
    return best, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tarballs", default=os.path.join(
        os.path.dirname(ROOT), "shared", "realworld"))
    args = parser.parse_args()
    server = os.path.join(os.path.abspath(args.build), "bin", "gostack-lsp")
    work = tempfile.mkdtemp(prefix="gostack-lsp-bench-")
    os.mkdir(os.path.join(work, "small"))
    small = os.path.join(work, "small", "newint.cpp")
    subprocess.run(["cp", os.path.join(ROOT, "examples", "newint.cpp"), small],
                   check=True)
    entries = [("examples/newint.cpp", os.path.join(work, "small"), {
        "directory": os.path.join(work, "small"), "file": small,
        "command": "%s/clang++ -std=c++20 -I%s -c %s -o %s.o" % (
            LLVM, os.path.join(ROOT, "runtime", "include"), small, small)})]
    with open(os.path.join(work, "small", "compile_commands.json"), "w") as f:
        json.dump([entries[0][2]], f)
    for name in ("leveldb", "tinyxml2"):
        database, project = configure(name, args.tarballs, work,
                                      os.path.abspath(args.build))
        largest = max(project, key=lambda e: os.path.getsize(e["file"]))
        entries.append(("%s: %s" % (name, os.path.relpath(
            largest["file"], os.path.join(work, name))), database, largest))
    print("%-34s %7s %12s %12s %7s" % ("file", "lines", "gostack-lsp",
                                       "plain parse", "ratio"))
    for label, database, entry in entries:
        with open(entry["file"], errors="replace") as f:
            lines = sum(1 for _ in f)
        latency, count = lsp_latency(server, database, entry, args.runs)
        plain = min(plain_parse(entry) for _ in range(args.runs))
        print("%-34s %7d %10.3f s %10.3f s %6.2fx   (%d diagnostics)" % (
            label, lines, latency, plain, latency / plain, count))
    print("best of %d saves each; %s" % (args.runs, " ".join(sys.argv)))


if __name__ == "__main__":
    main()
