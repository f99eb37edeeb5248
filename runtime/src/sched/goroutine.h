//===-- sched/goroutine.h - The goroutine -----------------------*- C++ -*-===//
//
// The goroutine itself, apart from the logic that runs it (as Go keeps its
// g in runtime2.go, apart from proc.go): what every part of sched/ -- the
// scheduler, stack growth, channels, faults, tracebacks -- knows of one.
//
// Invariants:
//  - sp is valid whenever the goroutine is not running; for a running one
//    it is stale but inside its stack;
//  - waitReason is non-null exactly while it is off its stack (set by its
//    worker once it is), so a traceback may unwind from sp then;
//  - a dead goroutine is in a free list, not scanned, and keeps its stack
//    only if that has the starting size.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_GOROUTINE_H
#define GOSTACK_RUNTIME_SCHED_GOROUTINE_H

#include "sched/exception_state.h"
#include "sched/fiber_sanitizers.h"
#include "sched/goroutine_locals.h"
#include "sched/lent_addresses.h"
#include "sched/stacks.h"

#include <gostack/gostack.h>

#include <atomic>
#include <cstdint>

namespace gostack::sched {

struct Goroutine {
  std::uint64_t id = 0;
  /// The stack pointer saved when it last left its stack (to its worker or
  /// to the thread's own stack in systemstack).
  void *sp = nullptr;
  Stack stack;
  /// At the top of its stack (the main goroutine's: run()'s).
  detail::goroutine_fn *fn = nullptr;
  bool isMain = false;
  /// Finished, waiting in a free list to be reused with its stack (Go's
  /// gFree); the collector skips it.
  bool dead = false;
  Goroutine *nextFree = nullptr;
  Goroutine *allNext = nullptr; ///< every goroutine ever made
  SanitizerContext sanitizer;
  /// The exceptions it is handling, while it is off its thread.
  ExceptionState exceptions;
  /// Its goroutine_local values.
  LocalValues locals;
  /// Why it is off its stack (traceback.h's wait_reason), set by its worker
  /// once it is; null while it runs or is about to.
  std::atomic<const char *> waitReason{nullptr};
  /// Set by the monitor: yield at the next stack check.
  std::atomic<bool> preemptRequested{false};
  /// Set by the collector: halve the stack at the next stack check.
  std::atomic<bool> shrinkRequested{false};
  /// The stack it just moved from, released once it runs on the new one.
  Stack retiredStack;
  /// Addresses in its stack that unmanaged callers passed to managed
  /// functions that keep them (lent_addresses.h).
  Lends lends;
};

/// The goroutine running on this thread, or null.
Goroutine *currentGoroutine();

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_GOROUTINE_H
