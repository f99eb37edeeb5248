//===-- sched/stack_guard.h - The word every stack check reads --*- C++ -*-===//
//
// Every managed function compares, in its prologue, its frame with the
// running goroutine's stack guard: a word in the thread control block
// (%fs:0x70, where LLVM's split-stack prologue looks). Its worker sets it
// when it switches a goroutine in (guardFor): the stack's low end plus the
// reserve native code gets, or StackGuardPoison, above every stack pointer,
// so that the next check fails -- the runtime's way to interrupt a goroutine
// at its next managed call (preemption, a shrink, stackmove, a stop of the
// world). What happens then is stack_growth.h's, above the scheduler; this
// floor is what both the scheduler and stack growth read.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_STACK_GUARD_H
#define GOSTACK_RUNTIME_SCHED_STACK_GUARD_H

#include <cstddef>
#include <cstdint>

namespace gostack::sched {

struct Goroutine;

/// Bytes kept below the guard of every goroutine stack: native code called
/// from managed code runs unchecked in them (with the 256 bytes LLVM's
/// prologue assumes, a signal handler's frame and __morestack's own save
/// area). Measured in docs/STACKS.md.
inline constexpr std::size_t NativeReserve = std::size_t(16) << 10;
/// A goroutine's first stack, and the smallest a stack shrinks to.
inline constexpr std::size_t MinStackSize = std::size_t(32) << 10;
/// The stack of every goroutine in a program built without the plugin: no
/// code checks its frames, so stacks cannot grow (CONTRACT section 2).
inline constexpr std::size_t FixedStackSize = std::size_t(256) << 10;
/// Past this, a goroutine dies with Go's "stack exceeds limit" error.
inline constexpr std::size_t MaxStackSize = std::size_t(1) << 30;
/// A guard above every stack pointer: the next check fails. The largest
/// positive value, not ~0: a dynamic alloca compares the guard as a signed
/// number, and must see it above the stack too.
inline constexpr std::uintptr_t StackGuardPoison = ~std::uintptr_t(0) >> 1;

/// Sets this thread's stack guard (0: checks never fail).
inline void setStackGuard(std::uintptr_t guard) {
  asm volatile("movq %0, %%fs:0x70" : : "r"(guard) : "memory");
}
inline std::uintptr_t stackGuard() {
  std::uintptr_t guard;
  asm volatile("movq %%fs:0x70, %0" : "=r"(guard));
  return guard;
}
/// The address of this thread's guard word, for other threads to poison.
inline std::uintptr_t *stackGuardSlot() {
  std::uintptr_t threadControlBlock;
  asm("movq %%fs:0, %0" : "=r"(threadControlBlock));
  return reinterpret_cast<std::uintptr_t *>(threadControlBlock + 0x70);
}

/// MinStackSize if the program has managed code (the plugin defines
/// gostack_stack_checks_linked in every object with a stack check), else
/// FixedStackSize.
std::size_t startingStackSize();
/// The guard a goroutine runs with when it is switched in.
std::uintptr_t guardFor(const Goroutine &g);
/// For the collector, while the world is stopped: asks \p g to halve its
/// stack at its next check if it uses less than a quarter of it.
/// \p stackPointer is where its frames begin.
void requestShrinkIfIdle(Goroutine &g, std::uintptr_t stackPointer);
/// Whether GOSTACK_DEBUG=stackmove=1 is set.
bool movesAtEveryCheck();

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_STACK_GUARD_H
