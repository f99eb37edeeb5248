//===-- sched/scheduler.h - Goroutines on worker threads --------*- C++ -*-===//
//
// M:N scheduling as Go's, in the shape of marl's readable scheduler:
//
//   Goroutine  a function on a stack of its own (stacks.h), suspended as a
//              saved stack pointer (context.h).
//   Worker     an OS thread (GOSTACK_MAXPROCS of them, default one per core)
//              running a loop on its own stack: find a runnable goroutine,
//              switch to it, and when it switches back, do what it asked
//              (requeue it, release the lock it parked under, free it).
//   Queues     each worker has a local queue and a "run next" slot (the
//              goroutine just readied by the running one, so ping-pong
//              stays on one worker); one global queue; an idle worker
//              steals half of another's queue before it sleeps.
//   Parking    a goroutine blocks by parking: it enqueues itself where its
//              waker will find it, under that structure's lock, and
//              switches to its worker, which releases the lock only once
//              the goroutine is off its stack. ready() makes it runnable
//              again and wakes a sleeping worker if none is looking for
//              work (Go's spinning workers).
//   Monitor    a thread that notices a worker stuck in one goroutine while
//              others wait: one in a long system call gets another worker
//              (Go's sysmon hand-off), one that computes is preempted at
//              its next stack check.
//
// When every worker sleeps, nothing is runnable and the main goroutine is
// blocked, the program is deadlocked: Go's fatal error.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_SCHEDULER_H
#define GOSTACK_RUNTIME_SCHED_SCHEDULER_H

#include "sched/goroutine.h"

#include <gostack/gostack.h>

#include <atomic>
#include <cstdint>

namespace gostack::sched {

/// Starts a goroutine whose function object \p build makes on its stack.
void spawn(std::size_t size, std::size_t align, detail::goroutine_builder build,
           void *arguments);
/// Blocks the current goroutine; once it is off its stack, its worker calls
/// unlock(argument) to release what the caller held (Go's gopark). Returns
/// when ready() was called. \p reason shows in tracebacks.
void park(void (*unlock)(void *), void *argument, const char *reason);
/// Makes a parked goroutine runnable.
void ready(Goroutine *g);
/// Lets other goroutines run.
void yieldNow();

/// While one lives, the running goroutine is not preempted: the runtime
/// holds a lock and calls code of the program (a channel element's move
/// constructor), which may be managed.
class NoPreemptScope {
public:
  NoPreemptScope() { ++depth; }
  ~NoPreemptScope() { --depth; }
  NoPreemptScope(const NoPreemptScope &) = delete;
  NoPreemptScope &operator=(const NoPreemptScope &) = delete;
  static bool active() { return depth != 0; }

private:
  static thread_local int depth;
};
/// Whether the running goroutine may be preempted at a stack check.
inline bool preemptible() { return !NoPreemptScope::active(); }

/// Yields if the monitor asked \p g, the running goroutine, to (it ran
/// 10 ms while others waited), unless it may not be preempted here. At
/// stack checks and go statements, as Go's synchronous preemption points.
void yieldIfPreempted(Goroutine *g);

/// Runs entry(arg) on the worker thread's own stack (systemstack).
void runOnSystemStack(void (*entry)(void *), void *arg);
bool onSystemStack();

/// Starts the main goroutine (run()); mainReturned() when it is done.
Goroutine *startMain(detail::goroutine_fn *fn);
void mainReturned();
std::size_t liveGoroutines();
/// Calls visit(g, context) for each goroutine that has not finished. Only
/// while the world is stopped or every worker sleeps.
void forEachGoroutine(void (*visit)(Goroutine *, void *), void *context);

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_SCHEDULER_H
