#!/usr/bin/env python3
"""Checks that the code the plugin generates does what its remarks say.

For each source file: compile it with the plugin at -O0 with debug
information, keeping the remarks (-fplugin-arg-gostack-m) and the IR. Then,
line by line of that file, within managed functions (the IR pass marks them
"gostack-managed"):

  go_new<T>(...) does not escape  <->  a call of gostack::detail::construct
                                       (the frame slot), no go_new call
  go_new<T>(...) escapes to heap  <->  a call of gostack::go_new
  moved to heap: NAME             <->  a call of gostack::detail::gc_alloc_frame

The set of kinds the remarks name on a line must equal the set of kinds the
code has there. Prints every disagreement; exits 1 if there is any.

usage: rewrite-agreement.py CLANGXX PLUGIN INCLUDE_DIR [--skip NAME]... FILE...
A file whose RUN line passes -fplugin-arg-gostack-managed=all is compiled so;
--skip leaves out the files of that base name.
"""

import os

import re
import subprocess
import sys

CALL_KINDS = {
    "_ZN7gostack6detail9construct": "stack",
    "_ZN7gostack6go_new": "heap",
    "_ZN7gostack6detail14gc_alloc_frame": "moved",
}
REMARK = re.compile(r"^(.*?):(\d+):\d+: remark: (.*)$")


def remark_kind(text):
    if text.startswith("moved to heap: "):
        return "moved"
    if text.startswith("go_new<"):
        return "stack" if text.endswith("does not escape") else "heap"
    return None


def compile_file(clangxx, plugin, include, path):
    extra = []
    with open(path, encoding="utf-8") as source:
        if "-fplugin-arg-gostack-managed=all" in source.read():
            extra.append("-fplugin-arg-gostack-managed=all")
    # Without stack maps: they wrap every call in a statepoint, and what is
    # checked here is which calls the rewrite leaves.
    command = [clangxx, "-std=c++20", "-O0", "-g", "-S", "-emit-llvm",
               "-fplugin=" + plugin, "-fplugin-arg-gostack-m",
               "-fplugin-arg-gostack-no-stack-maps", "-I", include,
               "-include", "gostack/gostack.h", "-Wno-return-stack-address",
               "-fno-color-diagnostics", *extra, path, "-o", "-"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("%s: does not compile:\n%s" % (path, result.stderr))
    return result.stdout, result.stderr


def remarked_kinds(stderr, path):
    kinds = {}
    for line in stderr.splitlines():
        match = REMARK.match(line)
        if not match or match.group(1) != path:
            continue
        kind = remark_kind(match.group(3))
        if kind:
            kinds.setdefault(int(match.group(2)), set()).add(kind)
    return kinds


def generated_kinds(ir, path):
    metadata = dict(re.findall(r"^(![0-9]+) = (.*)$", ir, re.M))
    managed_groups = set(re.findall(
        r'^attributes (#[0-9]+) = \{[^}]*"gostack-managed"', ir, re.M))

    def file_of(scope):
        seen = set()
        while scope and scope not in seen:
            seen.add(scope)
            text = metadata.get(scope, "")
            match = re.search(r"\bfile: (![0-9]+)", text)
            if match:
                file = metadata.get(match.group(1), "")
                name = re.search(r'filename: "([^"]*)"', file)
                directory = re.search(r'directory: "([^"]*)"', file)
                if not name:
                    return None
                return os.path.normpath(os.path.join(
                    directory.group(1) if directory else "", name.group(1)))
            parent = re.search(r"\bscope: (![0-9]+)", text)
            scope = parent.group(1) if parent else None
        return None

    kinds = {}
    managed = False
    # An invoke's "to label ... unwind label ..., !dbg" is on a line of its own.
    ir = re.sub(r"\n\s+to label ", " to label ", ir)
    for line in ir.splitlines():
        if line.startswith("define "):
            groups = set(re.findall(r"(#[0-9]+)", line.split("(")[-1]))
            managed = bool(groups & managed_groups)
            continue
        if not managed or " call " not in line and " invoke " not in line:
            continue
        callee = re.search(r"@(_Z[A-Za-z0-9_]+)\(", line)
        location = re.search(r"!dbg (![0-9]+)", line)
        if not callee or not location:
            continue
        kind = next((k for prefix, k in CALL_KINDS.items()
                     if callee.group(1).startswith(prefix)), None)
        if not kind:
            continue
        where = metadata.get(location.group(1), "")
        line_match = re.search(r"line: ([0-9]+)", where)
        scope = re.search(r"scope: (![0-9]+)", where)
        if (not line_match or not scope
                or file_of(scope.group(1)) != os.path.abspath(path)):
            continue
        kinds.setdefault(int(line_match.group(1)), set()).add(kind)
    return kinds


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    clangxx, plugin, include, files = argv[1], argv[2], argv[3], argv[4:]
    include = include[2:] if include.startswith("-I") else include
    skipped = set()
    while len(files) >= 2 and files[0] == "--skip":
        skipped.add(files[1])
        files = files[2:]
    files = [f for f in files if os.path.basename(f) not in skipped]
    disagreements = 0
    checked = 0
    for path in files:
        ir, stderr = compile_file(clangxx, plugin, include, path)
        said = remarked_kinds(stderr, path)
        done = generated_kinds(ir, path)
        for line in sorted(set(said) | set(done)):
            checked += 1
            if said.get(line, set()) != done.get(line, set()):
                disagreements += 1
                print("%s:%d: remarks say %s, code does %s" % (
                    path, line, sorted(said.get(line, set())),
                    sorted(done.get(line, set()))))
    print("%d lines checked in %d files, %d disagreements" % (
        checked, len(files), disagreements))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
