//===-- sched/stack_guard.cpp - The word every stack check reads ----------===//

#include "sched/stack_guard.h"
#include "core/options.h"
#include "sched/goroutine.h"

/// Defined by the plugin in every object with a stack check.
extern "C" [[gnu::weak]] const char gostack_stack_checks_linked;

namespace gostack::sched {

std::size_t startingStackSize() {
  return &gostack_stack_checks_linked ? MinStackSize : FixedStackSize;
}

std::uintptr_t guardFor(const Goroutine &g) {
  if (movesAtEveryCheck() || g.shrinkRequested.load(std::memory_order_relaxed))
    return StackGuardPoison;
  return g.stack.low + NativeReserve;
}

void requestShrinkIfIdle(Goroutine &g, std::uintptr_t stackPointer) {
  std::size_t size = g.stack.size();
  if (size > startingStackSize() && g.stack.high - stackPointer < size / 4)
    g.shrinkRequested.store(true, std::memory_order_relaxed);
}

bool movesAtEveryCheck() {
  static const bool enabled = options::debugEnabled("stackmove");
  return enabled;
}

} // namespace gostack::sched
