// fib by recursion: the call-heavy function of the prologue-check benchmark.
// FIB_NAME is fibChecked (built with the plugin) or fibUnchecked (without).

#include "stacks_fib.h"

#include <gostack/gostack.h>

GOSTACK_MANAGED [[gnu::noinline]] long FIB_NAME(long n) {
  return n < 2 ? n : FIB_NAME(n - 1) + FIB_NAME(n - 2);
}
