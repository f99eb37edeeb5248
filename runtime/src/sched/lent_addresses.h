//===-- sched/lent_addresses.h - Stack addresses lent out -------*- C++ -*-===//
//
// The analysis trusts callers: "leaking param: p" means a managed caller put
// *p in the heap before the call. An unmanaged caller on a goroutine does
// not: it may pass the address of its own local, which the managed function
// then stores into a GC object, a global or a container. When the stack
// moves, that copy would point into the freed old stack (Go avoids the case
// by running C on the system stack; cgocheck stops the Go side).
//
// The plugin makes every managed function whose pointer or reference
// parameter leaks call check_lent_address on entry (gostack/detail/
// rewrite.h): a TLS load and two compares, nothing more when the address
// is not in the running goroutine's stack. When it is, the goroutine
// records the lowest and highest such address ("lends"). At every stack
// check that reaches the runtime, lends below the stack pointer belong to
// frames that have returned and are forgotten; at a move while one is
// still live, the move stops the world and
// also adjusts every word in memory the collector scans that points into
// the old stack from the lowest live lend up (heap/collector.h,
// moveStackWorldStopped). The cost falls on programs that lend, once per
// move while a lending frame lives. Under GOSTACK_DEBUG=lentcheck=1 a lend
// stops the program instead, naming function and parameter.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_LENT_ADDRESSES_H
#define GOSTACK_RUNTIME_SCHED_LENT_ADDRESSES_H

#include "sched/stacks.h"

#include <cstdint>

namespace gostack::sched {

struct Goroutine;

/// The running goroutine's lends, as a move finds them.
struct Lends {
  std::uintptr_t low = 0, high = 0; ///< the lowest and highest; 0: none

  /// At a stack check: forgets them all when none is still above
  /// \p stackPointer (their frames have returned). A frame that returned
  /// and a new one in its place look alike: a lend may stay "live" longer
  /// than its frame, never shorter.
  void forgetBelow(std::uintptr_t stackPointer) {
    if (high < stackPointer)
      low = high = 0;
  }
};

/// Tells check_lent_address which stack the thread now runs on (an empty
/// one: none).
void setRunningStack(const Stack &stack);

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_LENT_ADDRESSES_H
