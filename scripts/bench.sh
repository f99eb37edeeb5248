#!/usr/bin/env bash
# Builds and runs the benchmarks under bench/ (never part of the tests), each
# comparing gostack side by side with its peers in one run; five repetitions,
# medians reported. Usage: scripts/bench.sh [NAME...], NAME one of
#   frame-alloc  go_new that does not escape: plugin on/off, plain local, malloc
#   alloc        go_new in the GC heap against malloc/free
set -euo pipefail
source "$(dirname "$0")/setup.sh"
gostack_setup

benchmarks=("$@")
[ ${#benchmarks[@]} -gt 0 ] || benchmarks=(frame-alloc alloc)
for name in "${benchmarks[@]}"; do
  echo
  echo "== bench-$name"
  "$GOSTACK_BUILD/bin/bench-$name" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true
done
