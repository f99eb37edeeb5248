#!/usr/bin/env python3
"""Checks that docs/ARCHITECTURE.md's directory map names every source file
under plugin/, tools/ and runtime/, and nothing else.

The map is the section "## Directory map": a heading "### `DIR/`" per
directory, then one item per file or header/source pair, each file name in
backquotes. Exit status 1, with the differences, when they disagree.

usage: check-architecture-map.py [REPO_ROOT]
"""
import os
import re
import subprocess
import sys

SOURCE = re.compile(r"\.(h|cpp|S)$")


def tree_files(root):
    listed = subprocess.run(["git", "-C", root, "ls-files", "--cached",
                             "--others", "--exclude-standard", "plugin",
                             "tools", "runtime"], capture_output=True, text=True,
                            check=False)
    if listed.returncode == 0:
        names = listed.stdout.split()
    else:  # not a git checkout: walk the tree
        names = [os.path.relpath(os.path.join(d, f), root)
                 for top in ("plugin", "tools", "runtime")
                 for d, _, files in os.walk(os.path.join(root, top))
                 for f in files]
    return {n for n in names if SOURCE.search(n)}


def map_files(root):
    text = open(os.path.join(root, "docs", "ARCHITECTURE.md")).read()
    section = text.split("## Directory map", 1)
    if len(section) < 2:
        sys.exit("docs/ARCHITECTURE.md has no '## Directory map' section")
    section = re.split(r"\n## ", section[1], maxsplit=1)[0]
    files, directory = set(), None
    for line in section.splitlines():
        heading = re.match(r"### `([^`]+)/`", line)
        if heading:
            directory = heading.group(1)
        elif line.startswith("- ") and directory:
            for name in re.findall(r"`([^`]+)`", line.split(":", 1)[0]):
                files.add(f"{directory}/{name}")
    return files


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    tree, mapped = tree_files(root), map_files(root)
    for name in sorted(tree - mapped):
        print(f"not in docs/ARCHITECTURE.md's directory map: {name}")
    for name in sorted(mapped - tree):
        print(f"in docs/ARCHITECTURE.md's directory map but not in the tree: "
              f"{name}")
    print(f"checked {len(tree)} source files against the directory map")
    sys.exit(1 if tree != mapped else 0)


if __name__ == "__main__":
    main()
