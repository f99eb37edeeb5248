//===-- in_runtime.h - Helpers of the goroutine unit tests ------*- C++ -*-===//
//
// What the goroutine, channel and death tests share: running a test body as
// a program's main goroutine, and recursion with real frames.

#ifndef GOSTACK_TEST_UNIT_IN_RUNTIME_H
#define GOSTACK_TEST_UNIT_IN_RUNTIME_H

#include <gostack/gostack.h>

namespace gostack_test {

/// Runs \p f as the main goroutine of gostack::run.
template <class F> void inRuntime(F f) {
  gostack::run([&] { f(); });
}

/// Recurses \p depth times with a 1 KiB frame each.
inline int deep(int depth) {
  volatile char frame[1024] = {};
  return depth ? deep(depth - 1) + frame[0] : 0;
}

} // namespace gostack_test

#endif // GOSTACK_TEST_UNIT_IN_RUNTIME_H
