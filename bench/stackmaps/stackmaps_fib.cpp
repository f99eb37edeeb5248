// fib by recursion, a managed function: the call-heavy code the stack maps
// must not slow down. FIB_NAME is fibWithMaps or fibNoMaps.

#include "stackmaps_fib.h"

#include <gostack/gostack.h>

// Both copies start on a 64-byte boundary: with the same instructions at
// different alignments the two differed by 14% on this machine, either way.
GOSTACK_MANAGED [[gnu::noinline, gnu::aligned(64)]] long FIB_NAME(long n) {
  return n < 2 ? n : FIB_NAME(n - 1) + FIB_NAME(n - 2);
}
