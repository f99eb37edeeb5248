// fib by recursion, a managed function: the call-heavy code the stack maps
// must not slow down. FIB_NAME is fibWithMaps or fibNoMaps.

#include "stackmaps_fib.h"

#include <gostack/gostack.h>

GOSTACK_MANAGED [[gnu::noinline]] long FIB_NAME(long n) {
  return n < 2 ? n : FIB_NAME(n - 1) + FIB_NAME(n - 2);
}
