//===-- sched/waiting.h - Blocking until another goroutine acts -*- C++ -*-===//
//
// Channels and wait groups keep a queue of Waiters under their lock. A
// goroutine waits by parking (its worker releases the lock once it is off
// its stack); a thread that runs no goroutine waits on a futex. The one who
// completes the wait sets its outcome under the lock, takes the waiter out
// of the queue, and wakes it after releasing the lock.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_WAITING_H
#define GOSTACK_RUNTIME_SCHED_WAITING_H

#include "sched/scheduler.h"

#include <atomic>
#include <cstdint>

namespace gostack::sched {

struct Waiter {
  Goroutine *goroutine = nullptr; ///< null: a thread, woken by its futex
  std::atomic<std::uint32_t> woken{0};
  void *element = nullptr; ///< a channel's value to take or to fill
  bool success = false;    ///< false: the channel was closed
  Waiter *next = nullptr;
};

/// A FIFO of waiters, over the public header's two-pointer wait_queue.
class WaitQueue {
public:
  explicit WaitQueue(detail::wait_queue &queue) : queue_(queue) {}
  void push(Waiter *waiter);
  Waiter *pop();

private:
  detail::wait_queue &queue_;
};

/// Waits until wake(waiter); \p lock (held) is released while waiting and
/// not held on return.
void block(Waiter &waiter, Lock &lock);
/// Wakes a waiter taken out of its queue; call it without the lock.
void wake(Waiter *waiter);

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_WAITING_H
