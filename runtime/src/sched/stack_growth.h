//===-- sched/stack_growth.h - Growing stacks by copying --------*- C++ -*-===//
//
// Every managed function checks in its prologue that its frame fits above
// the running goroutine's stack guard, a word in the thread control block
// (%fs:0x70, where LLVM's split-stack prologue looks). When it does not,
// __morestack (morestack_x86_64.S) saves the registers and calls
// gostack_morestack, which copies the stack to one twice as large and
// adjusts every word that points into the old stack (docs/STACKS.md says
// why that is enough and what it assumes).
//
// The guard is also the runtime's way to interrupt a goroutine at its next
// managed call: set to StackGuardPoison every check fails, and
// gostack_morestack then yields (preemption), halves the stack (a shrink the
// collector asked for) or moves it to a stack of the same size
// (GOSTACK_DEBUG=stackmove=1).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_STACK_GROWTH_H
#define GOSTACK_RUNTIME_SCHED_STACK_GROWTH_H

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

/// What __morestack pushes, lowest address first.
struct SaveArea {
  std::uint64_t xmm[16]; ///< xmm0-7, 16 bytes each: float arguments
  std::uint64_t padding;
  std::uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx,
      rbx, rax;
  /// Into the function whose check failed, at the `ret` after its call.
  std::uint64_t resumeAddress;
  // Above: the function's return address and its caller's frames.
};

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
/// Stack moves so far (growth, shrinking, stackmove).
std::uint64_t stackCopies();

} // namespace gostack::sched

extern "C" {
/// Called by __morestack on the goroutine's stack; returns where the save
/// area is now.
gostack::sched::SaveArea *gostack_morestack(gostack::sched::SaveArea *save);
/// Called by __morestack once it runs on the new stack.
void gostack_morestack_done();
}

#endif // GOSTACK_RUNTIME_SCHED_STACK_GROWTH_H
