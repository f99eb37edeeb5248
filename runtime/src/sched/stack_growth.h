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

#include "sched/stack_guard.h"

#include <cstddef>
#include <cstdint>

namespace gostack::sched {

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

/// Stack moves so far (growth, shrinking, stackmove).
std::uint64_t stackCopies();

/// A word of a managed frame that pointed into a stack that moved, which
/// no stack map named, so the move left it as it was (GOSTACK_DEBUG=
/// stackcheck).
struct UnnamedWord {
  std::uintptr_t value;
  std::uintptr_t returnAddress; ///< of the frame's call
  std::intptr_t offset;         ///< from the stack pointer at that call
};

/// The unnamed word through which an access to \p address in a freed stack
/// most likely went, if stackcheck noted one.
bool unnamedWordAt(std::uintptr_t address, UnnamedWord &found);

} // namespace gostack::sched

extern "C" {
/// Called by __morestack on the goroutine's stack; returns where the save
/// area is now.
gostack::sched::SaveArea *gostack_morestack(gostack::sched::SaveArea *save);
/// Called by __morestack once it runs on the new stack.
void gostack_morestack_done();
}

#endif // GOSTACK_RUNTIME_SCHED_STACK_GROWTH_H
