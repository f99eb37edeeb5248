#!/usr/bin/env bash
# The main job: install what is missing, build, then compile examples/ with
# the plugin and its escape report (-fplugin-arg-gostack-m), print what it
# reports, and run every example.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
gostack_setup

cd "$GOSTACK_ROOT/examples"
examples=(sum swap newint printany cache maybeescape goroutine grow)
report_flags=(-std=c++20 -fsyntax-only -I "$GOSTACK_ROOT/runtime/include"
  -fplugin="$GOSTACK_BUILD/lib/libgostack-plugin.so" -fplugin-arg-gostack-m
  -fno-caret-diagnostics)

echo
echo "== Escape report: clang++-19 -fplugin=libgostack-plugin.so -fplugin-arg-gostack-m"
for example in "${examples[@]}"; do
  echo "-- examples/$example.cpp"
  report=$("$GOSTACK_LLVM/bin/clang++" "${report_flags[@]}" "$example.cpp" 2>&1)
  echo "${report:-(nothing reported)}"
done

echo
echo "== Running the examples"
for example in "${examples[@]}"; do
  echo "-- $example"
  status=0
  "$GOSTACK_BUILD/bin/example-$example" || status=$?
  echo "   (exit status $status)"
done
