//===-- sched/context.h - Switching stacks ----------------------*- C++ -*-===//
//
// A suspended execution context is its saved stack pointer
// (context_x86_64.S): the registers the ABI preserves are on its stack.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_CONTEXT_H
#define GOSTACK_RUNTIME_SCHED_CONTEXT_H

#include <cstdint>

extern "C" {
void gostack_switch_context(void **saveSp, void *newSp);
void gostack_context_entry();
void gostack_call_on_stack(void *stackTop, void (*fn)(void *), void *arg,
                           void **saveSp);
void gostack_call_as_suspended(void *savedSp, void (*fn)(void *), void *arg);
}

namespace gostack::sched {

/// Prepares a stack whose top is \p stackTop so that switching to the
/// returned stack pointer calls entry(arg) (which must never return).
inline void *makeContext(std::uintptr_t stackTop, void (*entry)(void *),
                         void *arg) {
  std::uint32_t mxcsr;
  std::uint16_t fpuControl;
  asm volatile("stmxcsr %0" : "=m"(mxcsr));
  asm volatile("fnstcw %0" : "=m"(fpuControl));
  // What gostack_switch_context pops, lowest first: control words, r15,
  // r14, r13 (arg), r12 (entry), rbx, rbp, the return address.
  auto *slots =
      reinterpret_cast<std::uint64_t *>((stackTop & ~std::uintptr_t(15)) - 64);
  slots[0] = mxcsr | std::uint64_t(fpuControl) << 32;
  slots[1] = 0;
  slots[2] = 0;
  slots[3] = reinterpret_cast<std::uint64_t>(arg);
  slots[4] = reinterpret_cast<std::uint64_t>(entry);
  slots[5] = 0;
  slots[6] = 0;
  slots[7] = reinterpret_cast<std::uint64_t>(&gostack_context_entry);
  return slots;
}

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_CONTEXT_H
