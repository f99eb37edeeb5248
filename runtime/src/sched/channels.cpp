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

#include "sched/waiting.h"

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <unistd.h>

namespace gostack {
namespace {

/// Go panics here; there is no recover in C++: stop like an uncaught panic.
[[noreturn]] void panic(const char *message) {
  std::fprintf(stderr, "panic: %s\n", message);
  if (sched::Goroutine *g = sched::currentGoroutine())
    std::fprintf(stderr, "\ngoroutine %llu [running]\n",
                 static_cast<unsigned long long>(g->id));
  std::fflush(stderr);
  _exit(2);
}

} // namespace

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
      ops_->destroy(slot(head_ + i));
    if (buffer_)
      ::operator delete(buffer_, std::align_val_t(ops_->align));
  }

  std::atomic<long> references{1};

  void send(void *value) {
    lock_.lock();
    if (closed_) {
      lock_.unlock();
      panic("send on closed channel");
    }
    if (sched::Waiter *receiver = receivers().pop()) {
      ops_->move_construct(receiver->element, value);
      complete(receiver, true);
      return;
    }
    if (count_ < capacity_) {
      ops_->move_construct(slot(head_ + count_), value);
      ++count_;
      lock_.unlock();
      return;
    }
    sched::Waiter self;
    self.element = value;
    senders().push(&self);
    sched::block(self, lock_);
    if (!self.success)
      panic("send on closed channel");
  }

  recv_result receive(void *out, bool block) {
    lock_.lock();
    if (count_) {
      void *first = slot(head_);
      ops_->move_construct(out, first);
      ops_->destroy(first);
      head_ = (head_ + 1) % capacity_;
      --count_;
      // Room now: the first blocked sender's value joins the buffer.
      if (sched::Waiter *sender = senders().pop()) {
        ops_->move_construct(slot(head_ + count_), sender->element);
        ++count_;
        complete(sender, true);
      } else {
        lock_.unlock();
      }
      return recv_result::received;
    }
    if (sched::Waiter *sender = senders().pop()) {
      ops_->move_construct(out, sender->element);
      complete(sender, true);
      return recv_result::received;
    }
    if (closed_ || !block) {
      bool closed = closed_;
      lock_.unlock();
      if (!closed)
        return recv_result::empty;
      ops_->construct_zero(out);
      return recv_result::closed;
    }
    sched::Waiter self;
    self.element = out;
    receivers().push(&self);
    sched::block(self, lock_);
    if (self.success)
      return recv_result::received;
    ops_->construct_zero(out);
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
    detail::wait_queue leaving = receivers_;
    sched::WaitQueue all(leaving);
    while (sched::Waiter *sender = senders().pop())
      all.push(sender);
    receivers_ = senders_ = {};
    lock_.unlock();
    while (sched::Waiter *waiter = all.pop())
      sched::wake(waiter); // success stays false
  }

private:
  sched::WaitQueue receivers() { return sched::WaitQueue(receivers_); }
  sched::WaitQueue senders() { return sched::WaitQueue(senders_); }
  void *slot(std::size_t index) {
    return buffer_ + index % capacity_ * ops_->size;
  }
  /// Ends a waiter's wait; releases the lock.
  void complete(sched::Waiter *waiter, bool success) {
    waiter->success = success;
    lock_.unlock();
    sched::wake(waiter);
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

void detail::chan_retain(chan_core *core) {
  core->references.fetch_add(1, std::memory_order_relaxed);
}

void detail::chan_release(chan_core *core) {
  if (core->references.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete core;
}

void detail::chan_send(chan_core *core, void *value) { core->send(value); }

detail::recv_result detail::chan_recv(chan_core *core, void *out, bool block) {
  return core->receive(out, block);
}

void detail::chan_close(chan_core *core) { core->close(); }

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
  sched::block(self, lock);
}

} // namespace gostack
