//===-- sched/waiting.h - Waiting for another goroutine ---------*- C++ -*-===//
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

#include "sched/goroutine.h"
#include "sched/lock.h"
#include "sched/traceback.h"

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace gostack::sched {

/// One select waiting on several channels: the first waker claims it.
struct SelectState {
  static constexpr std::size_t NoWinner = ~std::size_t(0);
  std::atomic<std::size_t> winner{NoWinner};
  Goroutine *goroutine = nullptr; ///< null: a thread, woken by its futex
  std::atomic<std::uint32_t> woken{0};
};

struct Waiter {
  Goroutine *goroutine = nullptr; ///< null: a thread, woken by its futex
  std::atomic<std::uint32_t> woken{0};
  void *element = nullptr;       ///< a channel's value to take or to fill
  bool success = false;          ///< false: the channel was closed
  SelectState *select = nullptr; ///< set for one case of a select
  std::size_t caseIndex = 0;
  Waiter *next = nullptr;
};

/// Whether the waker may complete \p waiter: always, unless it is a case of
/// a select that another case has already won.
inline bool claim(Waiter *waiter) {
  std::size_t none = SelectState::NoWinner;
  return !waiter->select ||
         waiter->select->winner.compare_exchange_strong(
             none, waiter->caseIndex, std::memory_order_acq_rel);
}

/// A FIFO of waiters, over the public header's two-pointer wait_queue.
class WaitQueue {
public:
  explicit WaitQueue(detail::wait_queue &queue) : queue_(queue) {}
  void push(Waiter *waiter);
  Waiter *pop();
  /// Takes \p waiter out, if it is still in the queue.
  void remove(Waiter *waiter);

private:
  detail::wait_queue &queue_;
};

/// Waits until wake(waiter); \p lock (held) is released while waiting and
/// not held on return. \p reason (traceback.h) shows in tracebacks.
void block(Waiter &waiter, Lock &lock, const char *reason);
/// Wakes a waiter taken out of its queue; call it without the lock.
void wake(Waiter *waiter);
/// Waits until a case of \p select is won; unlock(argument) releases the
/// locks of its channels (held on entry) once waiting has begun.
void blockSelect(SelectState &select, void (*unlock)(void *), void *argument,
                 const char *reason);

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_WAITING_H
