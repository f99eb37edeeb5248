//===-- sched/waiting.cpp - Blocking until another goroutine acts ---------===//

#include "sched/waiting.h"

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

Waiter *WaitQueue::pop() {
  auto *waiter = static_cast<Waiter *>(queue_.head);
  if (!waiter)
    return nullptr;
  queue_.head = waiter->next;
  if (!queue_.head)
    queue_.tail = nullptr;
  return waiter;
}

void block(Waiter &waiter, Lock &lock) {
  if (Goroutine *g = currentGoroutine(); g && !onSystemStack()) {
    waiter.goroutine = g;
    park(lock);
    return;
  }
  // A thread. Storing `woken` is the waker's last access to the waiter
  // (the futex wake after it only names the address).
  lock.unlock();
  while (!waiter.woken.load(std::memory_order_acquire))
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&waiter.woken),
            FUTEX_WAIT_PRIVATE, 0, nullptr, nullptr, 0);
}

void wake(Waiter *waiter) {
  if (Goroutine *g = waiter->goroutine) {
    ready(g);
    return;
  }
  waiter->woken.store(1, std::memory_order_release);
  syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&waiter->woken),
          FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

} // namespace gostack::sched
