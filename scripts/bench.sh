#!/usr/bin/env bash
# Builds and runs the benchmarks under bench/ (never part of the tests), each
# comparing gostack side by side with its peers in one run; five repetitions,
# medians reported. Usage: scripts/bench.sh [NAME...], NAME one of
#   frame-alloc   go_new that does not escape: plugin on/off, plain local,
#                 malloc
#   alloc         go_new in the GC heap against malloc/free and Boehm
#   malloc        the runtime's malloc/free and new/delete (the scanned C
#                 heap) against glibc's, 16 B..64 KiB, 1-4 threads
#   gc-pause      a collection's pause with 10 MB..1 GB of malloc'd data,
#                 and with 200k dead objects with and without destructors
#   binary-trees  the Benchmarks Game's binary-trees: gostack, new/delete,
#                 Boehm, Go (BINARY_TREES_DEPTH, default 21; 16 is quick)
#   goroutines    skynet, spawn+join, channel ping-pong: gostack,
#                 Boost.Fiber, Go
#   stacks        parked goroutines' memory (gostack, Go, Boost.Context),
#                 stack growth (gostack, Go), the prologue check's cost,
#                 skynet on growable stacks (gostack, Go)
#   stackmaps     stack scans and moves by the stack maps against word by
#                 word, fib and code size with maps against without
# The Go peers are built by each go command in GO, a colon-separated list
# (ratios are to the first), else by `go` from PATH (Debian's golang-go):
#   GO=/opt/go1.23.5/bin/go:/usr/bin/go scripts/bench.sh goroutines stacks
set -euo pipefail
source "$(dirname "$0")/setup.sh"
# Go is a peer of the benchmarks only: installed here, not for the tests.
GOSTACK_PACKAGES+=(golang-go)
gostack_setup

for go in $(echo "${GO:-go}" | tr : ' '); do
  echo "Go peer: $go: $(GOTOOLCHAIN=local "$go" version)"
done

benchmarks=("$@")
[ ${#benchmarks[@]} -gt 0 ] ||
  benchmarks=(frame-alloc alloc malloc gc-pause binary-trees goroutines
    stacks stackmaps)
for name in "${benchmarks[@]}"; do
  echo
  echo "== bench-$name"
  if [ "$name" = binary-trees ]; then
    python3 "$GOSTACK_ROOT/bench/binary_trees/compare.py" "$GOSTACK_BUILD" \
      --depth "${BINARY_TREES_DEPTH:-21}"
    continue
  fi
  if [ "$name" = gc-pause ]; then
    "$GOSTACK_BUILD/bin/bench-gc-pause"
    continue
  fi
  if [ "$name" = goroutines ] || [ "$name" = stacks ] ||
    [ "$name" = stackmaps ]; then
    python3 "$GOSTACK_ROOT/bench/$name/compare.py" "$GOSTACK_BUILD"
    continue
  fi
  "$GOSTACK_BUILD/bin/bench-$name" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true
done
