//===-- sched/stack_roots.cpp - Goroutine stacks as the collector's roots -===//
//
// The collector (heap/roots.h) scans every goroutine's stack from the stack
// pointer it left it at to its top, which holds its function object; a
// thread stopped while it runs a goroutine is scanned from its stack pointer
// to the top of that goroutine's stack. On the way, a goroutine that uses
// little of a stack larger than the starting size is asked to halve it at
// its next check.
//
//===----------------------------------------------------------------------===//

#include "sched/stack_guard.h"
#include "sched/stack_walk.h"
#include "sched/workers.h"

#include <bit>

namespace gostack::sched {

/// For the collector: the top of the goroutine stack holding \p sp, where a
/// stopped thread runs a goroutine -- which is asked to shrink its stack if
/// it uses little of it, as suspended goroutines are.
bool goroutineStackTop(std::uintptr_t stackPointer, std::uintptr_t &top) {
  Stack stack;
  bool inGuard;
  if (!stackContaining(stackPointer, stack, inGuard) || inGuard)
    return false;
  top = stack.high;
  Scheduler::get().forEachRunning([&](Worker *, Goroutine *g) {
    if (g->stack.low == stack.low)
      requestShrinkIfIdle(*g, stackPointer);
  });
  return true;
}

/// Calls \p scan over the words of [from, top) that may hold pointers: all
/// of them, unless the stack maps describe the managed frames in between.
void forEachRootRange(std::uintptr_t from, std::uintptr_t top,
                      void (*scan)(void *, std::uintptr_t, std::uintptr_t),
                      void *context) {
  ManagedFrames frames;
  if (!findManagedFrames(from, top, frames)) {
    scan(context, from, top);
    return;
  }
  scan(context, from, frames.inner);
  RegisterSlots registers;
  forEachManagedFrame(frames, [&](const ManagedFrame &frame) {
    for (const StackMapObject &object : objectsOf(*frame.site))
      scan(context, frame.sp + object.Offset,
           frame.sp + object.Offset + object.Size);
    for (std::int32_t pointer : pointersOf(*frame.site))
      scan(context, frame.sp + pointer, frame.sp + pointer + 8);
    for (unsigned bits = frame.site->PointerRegisters; bits; bits &= bits - 1)
      if (std::uintptr_t slot = registers.slotOf(std::countr_zero(bits)))
        scan(context, slot, slot + 8);
    registers.passFrame(frame);
  });
  scan(context, frames.outer, top);
}

/// For the collector: every goroutine's stack from where it left it.
void forEachGoroutineStack(void (*visit)(void *, std::uintptr_t,
                                         std::uintptr_t),
                           void *context) {
  struct Visit {
    void (*visit)(void *, std::uintptr_t, std::uintptr_t);
    void *context;
  } each = {visit, context};
  Scheduler::get().forEachGoroutine(
      [](Goroutine *g, void *arg) {
        auto &each = *static_cast<Visit *>(arg);
        // The function object is at the top of the stack.
        auto sp = reinterpret_cast<std::uintptr_t>(g->sp);
        if (sp < g->stack.low || sp >= g->stack.high)
          return;
        each.visit(each.context, sp, g->stack.high);
        // Go shrinks stacks while it scans them; a goroutine halves its
        // own at its next stack check, where nothing outside its stack
        // points into it.
        requestShrinkIfIdle(*g, sp);
      },
      &each);
}

} // namespace gostack::sched
