//===-- sched/waiting.cpp - Blocking until another goroutine acts ---------===//

#include "sched/waiting.h"
#include "sched/scheduler.h"

#include <climits>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gostack::sched {

void WaitQueue::push(Waiter *waiter) {
  waiter->next = nullptr;
  if (auto *tail = static_cast<Waiter *>(queue_.tail))
    tail->next = waiter;
  else
    queue_.head = waiter;
  queue_.tail = waiter;
}

void WaitQueue::remove(Waiter *waiter) {
  Waiter *previous = nullptr;
  for (auto *current = static_cast<Waiter *>(queue_.head); current;
       previous = current, current = current->next) {
    if (current != waiter)
      continue;
    (previous ? previous->next : reinterpret_cast<Waiter *&>(queue_.head)) =
        current->next;
    if (queue_.tail == current)
      queue_.tail = previous;
    return;
  }
}

Waiter *WaitQueue::pop() {
  auto *waiter = static_cast<Waiter *>(queue_.head);
  if (!waiter)
    return nullptr;
  queue_.head = waiter->next;
  if (!queue_.head)
    queue_.tail = nullptr;
  return waiter;
}

namespace {

/// Parks the current goroutine, or makes the calling thread sleep until
/// \p woken is set; \p goroutine records which it was, for the waker.
void wait(Goroutine *&goroutine, std::atomic<std::uint32_t> &woken,
          void (*unlock)(void *), void *argument, const char *reason) {
  if (Goroutine *g = currentGoroutine(); g && !onSystemStack()) {
    goroutine = g;
    park(unlock, argument, reason);
    return;
  }
  // A thread. Storing `woken` is the waker's last access to the waiter
  // (the futex wake after it only names the address).
  unlock(argument);
  while (!woken.load(std::memory_order_acquire))
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&woken),
            FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
}

void resume(Goroutine *goroutine, std::atomic<std::uint32_t> &woken) {
  if (goroutine) {
    ready(goroutine);
    return;
  }
  woken.store(1, std::memory_order_release);
  syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&woken),
          FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

void unlockLock(void *lock) { static_cast<Lock *>(lock)->unlock(); }

} // namespace

void block(Waiter &waiter, Lock &lock, const char *reason) {
  wait(waiter.goroutine, waiter.woken, unlockLock, &lock, reason);
}

void blockSelect(SelectState &select, void (*unlock)(void *), void *argument,
                 const char *reason) {
  wait(select.goroutine, select.woken, unlock, argument, reason);
}

void wake(Waiter *waiter) {
  if (SelectState *select = waiter->select)
    resume(select->goroutine, select->woken);
  else
    resume(waiter->goroutine, waiter->woken);
}

} // namespace gostack::sched
