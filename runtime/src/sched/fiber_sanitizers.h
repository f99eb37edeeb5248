//===-- sched/fiber_sanitizers.h - Sanitizers and switches ------*- C++ -*-===//
//
// AddressSanitizer and ThreadSanitizer follow one stack per thread unless
// told of each switch: ASan to know the bounds of the stack it runs on (for
// exceptions and its fake stacks), TSan to keep one shadow call stack and
// happens-before per goroutine. Without a sanitizer this is all empty.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_FIBER_SANITIZERS_H
#define GOSTACK_RUNTIME_SCHED_FIBER_SANITIZERS_H

#include "core/sanitizers.h"

#include <cstddef>
#include <cstdint>
#include <pthread.h>

#ifdef GOSTACK_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef GOSTACK_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace gostack::sched {

/// What the sanitizers know of one context: a goroutine, or a worker on
/// its thread's own stack.
struct SanitizerContext {
  void *fakeStack = nullptr; ///< ASan's, kept while switched out
  void *tsanFiber = nullptr;
  const void *stackBottom = nullptr;
  std::size_t stackSize = 0;
};

inline void createFiber(SanitizerContext &context, std::uintptr_t low,
                        std::uintptr_t high) {
  context.stackBottom = reinterpret_cast<const void *>(low);
  context.stackSize = high - low;
#ifdef GOSTACK_TSAN
  context.tsanFiber = __tsan_create_fiber(0);
#endif
}

inline void destroyFiber(SanitizerContext &context) {
#ifdef GOSTACK_TSAN
  __tsan_destroy_fiber(context.tsanFiber);
#endif
  (void)context;
}

/// The calling thread's own stack, as a context.
inline void adoptThread(SanitizerContext &context) {
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
    void *lowest;
    std::size_t size;
    if (pthread_attr_getstack(&attributes, &lowest, &size) == 0) {
      context.stackBottom = lowest;
      context.stackSize = size;
    }
    pthread_attr_destroy(&attributes);
  }
#ifdef GOSTACK_TSAN
  context.tsanFiber = __tsan_get_current_fiber();
#endif
}

/// Just before switching from \p from (ending for good if \p fromEnds) to
/// \p to.
inline void beforeSwitch(SanitizerContext &from, SanitizerContext &to,
                         bool fromEnds) {
#ifdef GOSTACK_ASAN
  __sanitizer_start_switch_fiber(fromEnds ? nullptr : &from.fakeStack,
                                 to.stackBottom, to.stackSize);
#endif
#ifdef GOSTACK_TSAN
  __tsan_switch_to_fiber(to.tsanFiber, 0);
#endif
  (void)from, (void)to, (void)fromEnds;
}

/// After the running goroutine's stack moved: ASan learns its new bounds
/// (a switch from the stack to itself).
inline void movedStack(SanitizerContext &context) {
#ifdef GOSTACK_ASAN
  void *fakeStack = nullptr;
  __sanitizer_start_switch_fiber(&fakeStack, context.stackBottom,
                                 context.stackSize);
  __sanitizer_finish_switch_fiber(fakeStack, nullptr, nullptr);
#endif
  (void)context;
}

/// Just after arriving in \p arrived.
inline void afterSwitch(SanitizerContext &arrived) {
#ifdef GOSTACK_ASAN
  __sanitizer_finish_switch_fiber(arrived.fakeStack, nullptr, nullptr);
#endif
  (void)arrived;
}

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_FIBER_SANITIZERS_H
