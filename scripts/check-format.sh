#!/usr/bin/env bash
# Checks that every C++ source of the project is clang-formatted (LLVM
# style), and that its banner -- "//===-- name - what ---...===//", as LLVM
# writes it -- is one line of 80 columns (clang-format breaks a longer one
# in two). Usage: scripts/check-format.sh [CLANG_FORMAT]
set -euo pipefail
clang_format=${1:-/usr/lib/llvm-19/bin/clang-format}
cd "$(dirname "$0")/.."

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard \
    '*.cpp' '*.h' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
else
  mapfile -t files < <(find . -path ./build -prune -o -path './build-*' \
    -prune -o \( -name '*.cpp' -o -name '*.h' \) -print)
fi

bad=0
for file in "${files[@]}"; do
  if ! "$clang_format" --dry-run --Werror "$file" >/dev/null 2>&1; then
    echo "not clang-formatted: $file (fix: $clang_format -i $file)"
    bad=$((bad + 1))
  fi
  banner=$(head -n 1 "$file")
  if [[ $banner == "//===--"* ]] &&
    { [ "${#banner}" -ne 80 ] || [[ $banner != *"===//" ]]; }; then
    echo "banner not one 80-column line: $file (shorten its description)"
    bad=$((bad + 1))
  fi
done
echo "checked ${#files[@]} files, $bad not formatted"
[ "$bad" -eq 0 ]
