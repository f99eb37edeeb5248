//===-- sched/stacks.h - Goroutine stacks -----------------------*- C++ -*-===//
//
// Goroutine stacks come from one reserved address range, committed in
// 64 MiB chunks; each chunk is cut into slots of one size class (powers of
// two from 8 KiB), a slot being a 64 KiB guard and the stack above it. So any
// address maps to its stack with a table lookup (for the collector and the
// fault handler), and a million stacks are not a million mappings.
//
// The guard page is a lightweight guard region (MADV_GUARD_INSTALL, Linux
// 6.13), which does not split the mapping. On older kernels it is an
// mprotect'ed page -- a mapping of its own -- as long as the kernel's
// map-count limit leaves room, and no guard after that.
//
// Freed stacks go to a per-thread cache, then to a global pool; both hand
// out the most recently freed first (its pages resident, perhaps cached).
// With GOSTACK_DEBUG=stackfaultonfree=1 a freed stack is made inaccessible
// instead, and reused last.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_STACKS_H
#define GOSTACK_RUNTIME_SCHED_STACKS_H

#include <cstddef>
#include <cstdint>

namespace gostack::sched {

/// Below each stack. Large enough that a frame up to 64 KiB cannot jump
/// over it; larger ones need stack probes (docs/STACKS.md). Address space
/// only.
inline constexpr std::size_t StackGuardSize = std::size_t(64) << 10;

/// A goroutine's stack: usable from low (exclusive of the guard below it)
/// to high.
struct Stack {
  std::uintptr_t low = 0, high = 0;
  std::size_t size() const { return high - low; }
};

/// Why a goroutine gave its stack back.
enum class StackRelease { Moved, Exited };

Stack allocateStack(std::size_t size);
/// Gives \p stack back; \p owner (a goroutine id) and \p why name it in
/// the fault message when a stale pointer touches it (stackfaultonfree).
void releaseStack(const Stack &stack, std::uint64_t owner = 0,
                  StackRelease why = StackRelease::Exited);
/// A stack released under stackfaultonfree that holds \p address: who had
/// it and why it left. Safe in a signal handler.
bool findReleasedStack(std::uintptr_t address, std::uint64_t &owner,
                       StackRelease &why);
/// The stack (in use or not) holding \p address, if it is in the stack
/// range; \p inGuard tells whether it is in the stack's guard page.
bool stackContaining(std::uintptr_t address, Stack &stack, bool &inGuard);
/// Whether GOSTACK_DEBUG=stackfaultonfree=1 is set.
bool stacksFaultOnFree();
/// Bytes of stacks in use.
std::size_t stackBytesInUse();

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_STACKS_H
