//===-- sched/channels.cpp - Channels and wait groups ---------------------===//
//
// A channel is Go's hchan: a ring buffer of `capacity` values, and queues of
// blocked senders and receivers, under one lock. A send hands its value
// straight to a waiting receiver, or puts it in the buffer, or waits; a
// receive takes from the buffer (then lets a waiting sender refill it), or
// straight from a waiting sender (unbuffered), or yields the zero value
// once the channel is closed and drained, or waits. Values are moved through
// the element type's chan_ops; the handles in the header count references.
//
//===----------------------------------------------------------------------===//

#include "sched/faults.h"
#include "sched/scheduler.h"
#include "sched/waiting.h"

#include <gostack/gostack.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <unistd.h>
#include <vector>

namespace gostack {
using sched::panic;

class detail::chan_core {
public:
  chan_core(std::size_t capacity, const chan_ops *ops)
      : ops_(ops), lock_(lockWord_), capacity_(capacity) {
    if (capacity_)
      buffer_ = static_cast<unsigned char *>(::operator new(
          capacity_ * ops_->size, std::align_val_t(ops_->align)));
  }
  ~chan_core() {
    for (std::size_t i = 0; i < count_; ++i)
      destroyElement(slot(head_ + i));
    if (buffer_)
      ::operator delete(buffer_, std::align_val_t(ops_->align));
  }

  std::atomic<long> references{1};

  void send(void *value) {
    lock_.lock();
    sched::Waiter *wake = nullptr;
    if (trySendLocked(value, wake)) {
      lock_.unlock();
      if (wake)
        sched::wake(wake);
      return;
    }
    sched::Waiter self;
    self.element = value;
    senders().push(&self);
    sched::block(self, lock_, sched::wait_reason::ChanSend);
    if (!self.success)
      panic("send on closed channel");
  }

  recv_result receive(void *out, bool block) {
    lock_.lock();
    sched::Waiter *wake = nullptr;
    recv_result result = tryReceiveLocked(out, wake);
    if (result != recv_result::empty || !block) {
      lock_.unlock();
      if (wake)
        sched::wake(wake);
      return result;
    }
    sched::Waiter self;
    self.element = out;
    receivers().push(&self);
    sched::block(self, lock_, sched::wait_reason::ChanReceive);
    if (self.success)
      return recv_result::received;
    constructZero(out);
    return recv_result::closed;
  }

  void close() {
    lock_.lock();
    if (closed_) {
      lock_.unlock();
      panic("close of closed channel");
    }
    closed_ = true;
    // Every waiter leaves: receivers with the zero value, senders to panic.
    detail::wait_queue leavingQueue{};
    sched::WaitQueue leaving(leavingQueue);
    while (sched::Waiter *waiter = takeWaiter(receivers()))
      leaving.push(waiter);
    while (sched::Waiter *waiter = takeWaiter(senders()))
      leaving.push(waiter);
    lock_.unlock();
    while (sched::Waiter *waiter = leaving.pop())
      sched::wake(waiter); // success stays false
  }

  // With the lock held (select takes several):
  void lock() { lock_.lock(); }
  void unlock() { lock_.unlock(); }

  /// Sends \p value if that needs no wait: to a waiting receiver (set in
  /// \p wake, to be woken once the lock is released) or into the buffer.
  bool trySendLocked(void *value, sched::Waiter *&wake) {
    if (closed_) {
      lock_.unlock();
      panic("send on closed channel");
    }
    if ((wake = takeWaiter(receivers()))) {
      moveConstruct(wake->element, value);
      wake->success = true;
      return true;
    }
    if (count_ == capacity_)
      return false;
    moveConstruct(slot(head_ + count_), value);
    ++count_;
    return true;
  }

  /// Receives into \p out if that needs no wait: from the buffer (letting
  /// the first blocked sender refill it), from a waiting sender, or the zero
  /// value of a closed channel; else empty. \p wake as for trySendLocked.
  recv_result tryReceiveLocked(void *out, sched::Waiter *&wake) {
    if (count_) {
      void *first = slot(head_);
      moveConstruct(out, first);
      destroyElement(first);
      head_ = (head_ + 1) % capacity_;
      --count_;
      if ((wake = takeWaiter(senders()))) {
        moveConstruct(slot(head_ + count_), wake->element);
        ++count_;
        wake->success = true;
      }
      return recv_result::received;
    }
    if ((wake = takeWaiter(senders()))) {
      moveConstruct(out, wake->element);
      wake->success = true;
      return recv_result::received;
    }
    if (!closed_)
      return recv_result::empty;
    constructZero(out);
    return recv_result::closed;
  }

  /// Queues \p waiter to send (or receive) until someone completes it.
  void enqueue(sched::Waiter *waiter, bool send) {
    (send ? senders() : receivers()).push(waiter);
  }
  void dequeue(sched::Waiter *waiter, bool send) {
    (send ? senders() : receivers()).remove(waiter);
  }
  // The element type's operations: code of the program, which may be
  // managed -- and must not be preempted while a lock is held.
  void constructZero(void *out) {
    sched::NoPreemptScope scope;
    ops_->construct_zero(out);
  }
  void moveConstruct(void *to, void *from) {
    sched::NoPreemptScope scope;
    ops_->move_construct(to, from);
  }
  void destroyElement(void *element) {
    sched::NoPreemptScope scope;
    ops_->destroy(element);
  }

private:
  sched::WaitQueue receivers() { return sched::WaitQueue(receivers_); }
  sched::WaitQueue senders() { return sched::WaitQueue(senders_); }
  void *slot(std::size_t index) {
    return buffer_ + index % capacity_ * ops_->size;
  }
  /// The first waiter that can still be completed: a select waiting on
  /// several channels is completed by one only (the first to claim it).
  static sched::Waiter *takeWaiter(sched::WaitQueue queue) {
    while (sched::Waiter *waiter = queue.pop())
      if (sched::claim(waiter))
        return waiter;
    return nullptr;
  }

  const chan_ops *ops_;
  std::atomic<std::uint32_t> lockWord_{0};
  sched::Lock lock_;
  std::size_t capacity_, head_ = 0, count_ = 0;
  unsigned char *buffer_ = nullptr;
  bool closed_ = false;
  detail::wait_queue receivers_, senders_;
};

detail::chan_core *detail::chan_make(std::size_t capacity,
                                     const chan_ops *ops) {
  return new chan_core(capacity, ops);
}

void detail::chan_retain(GOSTACK_NOESCAPE chan_core *core) {
  core->references.fetch_add(1, std::memory_order_relaxed);
}

void detail::chan_release(GOSTACK_NOESCAPE chan_core *core) {
  if (core->references.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete core;
}

void detail::chan_send(GOSTACK_NOESCAPE chan_core *core, void *value) {
  core->send(value);
}

detail::recv_result detail::chan_recv(GOSTACK_NOESCAPE chan_core *core,
                                      GOSTACK_NOESCAPE void *out, bool block) {
  return core->receive(out, block);
}

void detail::chan_close(GOSTACK_NOESCAPE chan_core *core) { core->close(); }

namespace {

/// The distinct channels of a select, locked in address order (two
/// selects over the same channels cannot deadlock).
class LockSet {
public:
  LockSet(const detail::select_case *cases, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      if (std::find(channels_.begin(), channels_.end(), cases[i].channel) ==
          channels_.end())
        channels_.push_back(cases[i].channel);
    std::sort(channels_.begin(), channels_.end());
  }
  void lock() {
    for (detail::chan_core *channel : channels_)
      channel->lock();
  }
  /// In reverse order, the lowest address last. Called by the worker of a
  /// parked select, it must not touch this object after the last unlock:
  /// the select may then run again (it waits for the lowest lock first)
  /// and return, destroying it.
  void unlock() {
    detail::chan_core *const *channels = channels_.data();
    for (std::size_t i = channels_.size(); i-- > 0;)
      channels[i]->unlock();
  }

private:
  std::vector<detail::chan_core *> channels_;
};

} // namespace

std::size_t detail::chan_select(select_case *cases, std::size_t count,
                                bool block) {
  LockSet channels(cases, count);
  channels.lock();
  // Go polls the cases in a random order, so that none is favoured.
  thread_local std::uint32_t seed = 0x9e3779b9;
  seed = seed * 1664525 + 1013904223;
  std::size_t first =
      count ? (seed >> 16) % count : 0; // high bits: the low ones cycle
  for (std::size_t n = 0; n < count; ++n) {
    std::size_t index = (first + n) % count;
    select_case &option = cases[index];
    sched::Waiter *wake = nullptr;
    bool done;
    if (option.send) {
      done = option.channel->trySendLocked(option.element, wake);
    } else {
      recv_result result =
          option.channel->tryReceiveLocked(option.element, wake);
      done = result != recv_result::empty;
      option.received = result == recv_result::received;
    }
    if (!done)
      continue;
    channels.unlock();
    if (wake)
      sched::wake(wake);
    return index;
  }
  if (!block) {
    channels.unlock();
    return count;
  }
  // Wait on every channel at once; the first to complete a case claims
  // the select, the others skip its waiters.
  sched::SelectState state;
  std::vector<sched::Waiter> waiters(count);
  for (std::size_t i = 0; i < count; ++i) {
    waiters[i].select = &state;
    waiters[i].caseIndex = i;
    waiters[i].element = cases[i].element;
    cases[i].channel->enqueue(&waiters[i], cases[i].send);
  }
  sched::blockSelect(
      state, [](void *set) { static_cast<LockSet *>(set)->unlock(); },
      &channels, sched::wait_reason::Select);
  std::size_t chosen = state.winner.load(std::memory_order_acquire);
  channels.lock();
  for (std::size_t i = 0; i < count; ++i)
    if (i != chosen)
      cases[i].channel->dequeue(&waiters[i], cases[i].send);
  channels.unlock();
  select_case &option = cases[chosen];
  if (option.send) {
    if (!waiters[chosen].success)
      panic("send on closed channel");
  } else {
    option.received = waiters[chosen].success;
    if (!option.received)
      option.channel->constructZero(option.element);
  }
  return chosen;
}

void wait_group::add(long n) {
  // The counter is an atomic, as Go's: the lock is for the last one out.
  long count = count_.fetch_add(n, std::memory_order_acq_rel) + n;
  if (count < 0)
    panic("sync: negative WaitGroup counter");
  if (count)
    return;
  sched::Lock lock(lock_);
  lock.lock();
  detail::wait_queue leaving = waiters_;
  waiters_ = {};
  lock.unlock();
  sched::WaitQueue all(leaving);
  while (sched::Waiter *waiter = all.pop())
    sched::wake(waiter);
}

void wait_group::done() { add(-1); }

void wait_group::wait() {
  if (!count_.load(std::memory_order_acquire))
    return;
  sched::Lock lock(lock_);
  lock.lock();
  // Whoever brings the counter to zero takes this lock after us, and finds
  // us in the queue.
  if (!count_.load(std::memory_order_acquire)) {
    lock.unlock();
    return;
  }
  sched::Waiter self;
  sched::WaitQueue(waiters_).push(&self);
  sched::block(self, lock, sched::wait_reason::Semacquire);
}

} // namespace gostack
