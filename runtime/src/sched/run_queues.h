//===-- sched/run_queues.h - Runnable goroutines ----------------*- C++ -*-===//
//
// The global queue, and each worker's local one (Go's runq and runnext).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_RUN_QUEUES_H
#define GOSTACK_RUNTIME_SCHED_RUN_QUEUES_H

#include "sched/goroutine.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace gostack::sched {

/// Go's local run queue length.
inline constexpr std::size_t LocalQueueSize = 256;

/// The global queue: runnable goroutines, first in first out, under a lock;
/// whether it holds any can be read without it.
class GlobalQueue {
public:
  void push(Goroutine *g) {
    std::lock_guard<std::mutex> lock(mutex_);
    goroutines_.push_back(g);
    size_.store(goroutines_.size(), std::memory_order_relaxed);
  }
  void pushAll(const std::vector<Goroutine *> &goroutines) {
    if (goroutines.empty())
      return;
    std::lock_guard<std::mutex> lock(mutex_);
    goroutines_.insert(goroutines_.end(), goroutines.begin(), goroutines.end());
    size_.store(goroutines_.size(), std::memory_order_relaxed);
  }
  Goroutine *pop() {
    if (empty())
      return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    if (goroutines_.empty())
      return nullptr;
    Goroutine *g = goroutines_.front();
    goroutines_.pop_front();
    size_.store(goroutines_.size(), std::memory_order_relaxed);
    return g;
  }
  /// The oldest goroutines: a fair share for one of \p workers, at most
  /// half a local queue (Go's globrunqget). A worker out of work takes them
  /// all at once, so what it makes meanwhile queues behind them.
  std::vector<Goroutine *> popShare(std::size_t workers) {
    if (empty())
      return {};
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t count =
        std::min(goroutines_.size() / workers + 1,
                 std::min(goroutines_.size(), LocalQueueSize / 2));
    std::vector<Goroutine *> taken(goroutines_.begin(),
                                   goroutines_.begin() + count);
    goroutines_.erase(goroutines_.begin(), goroutines_.begin() + count);
    size_.store(goroutines_.size(), std::memory_order_relaxed);
    return taken;
  }
  bool empty() const { return !size_.load(std::memory_order_relaxed); }

private:
  std::mutex mutex_;
  std::deque<Goroutine *> goroutines_;
  std::atomic<std::size_t> size_{0};
};

/// A worker's queue, Go's runq: a ring of LocalQueueSize goroutines that
/// only the worker adds to (at the tail) and anyone takes from (at the
/// head, with a compare-and-swap), without a lock; and a run-next slot, one
/// atomic exchange, so a goroutine handing off to the one it readied does
/// not even touch the ring.
class LocalQueue {
public:
  /// Queues \p g (as the next to run if \p next). The worker only. When
  /// the ring is full, returns its older half (and g) for the global queue.
  std::vector<Goroutine *> push(Goroutine *g, bool next) {
    if (next) {
      g = next_.exchange(g, std::memory_order_acq_rel);
      if (!g)
        return {};
    }
    if (put(g))
      return {};
    std::vector<Goroutine *> overflow = grab();
    overflow.push_back(g);
    return overflow;
  }

  /// Queues \p goroutines; the worker only. Returns what did not fit.
  std::vector<Goroutine *> pushAll(const std::vector<Goroutine *> &goroutines) {
    std::vector<Goroutine *> overflow;
    for (Goroutine *g : goroutines)
      if (!put(g))
        overflow.push_back(g);
    return overflow;
  }

  /// The next-to-run goroutine, if any; the worker only.
  Goroutine *popNext() { return takeNext(); }

  /// The oldest goroutine of the ring, if any; the worker only.
  Goroutine *popOldest() {
    for (;;) {
      std::uint32_t head = head_.load(std::memory_order_acquire);
      if (head == tail_.load(std::memory_order_acquire))
        return nullptr;
      Goroutine *g =
          slots_[head % LocalQueueSize].load(std::memory_order_relaxed);
      if (head_.compare_exchange_weak(head, head + 1,
                                      std::memory_order_acq_rel))
        return g;
    }
  }

  /// For a thief: the older half of the ring; if it is empty and \p orNext,
  /// the next-to-run goroutine.
  std::vector<Goroutine *> takeHalf(bool orNext) {
    std::vector<Goroutine *> taken = grab();
    if (taken.empty() && orNext)
      if (Goroutine *g = takeNext())
        taken.push_back(g);
    return taken;
  }

  bool empty() const {
    return !queued() && !next_.load(std::memory_order_relaxed);
  }
  /// Whether takeHalf(orNext) would find anything.
  bool stealable(bool orNext) const {
    return queued() || (orNext && next_.load(std::memory_order_relaxed));
  }

private:
  std::uint32_t queued() const {
    return tail_.load(std::memory_order_acquire) -
           head_.load(std::memory_order_acquire);
  }

  bool put(Goroutine *g) {
    std::uint32_t head = head_.load(std::memory_order_acquire);
    std::uint32_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head >= LocalQueueSize)
      return false;
    slots_[tail % LocalQueueSize].store(g, std::memory_order_relaxed);
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  /// Takes the older half by moving the head past it (Go's runqgrab). The
  /// slots are read before the compare-and-swap; the worker cannot reuse
  /// them until the head has moved.
  std::vector<Goroutine *> grab() {
    for (;;) {
      std::uint32_t head = head_.load(std::memory_order_acquire);
      std::uint32_t tail = tail_.load(std::memory_order_acquire);
      std::uint32_t count = tail - head;
      count -= count / 2;
      if (!count)
        return {};
      if (count > LocalQueueSize / 2)
        continue; // head and tail were read at different moments
      std::vector<Goroutine *> taken(count);
      for (std::uint32_t i = 0; i < count; ++i)
        taken[i] =
            slots_[(head + i) % LocalQueueSize].load(std::memory_order_relaxed);
      if (head_.compare_exchange_strong(head, head + count,
                                        std::memory_order_acq_rel))
        return taken;
    }
  }

  Goroutine *takeNext() {
    if (!next_.load(std::memory_order_relaxed))
      return nullptr;
    return next_.exchange(nullptr, std::memory_order_acq_rel);
  }

  std::atomic<Goroutine *> next_{nullptr};
  std::atomic<std::uint32_t> head_{0}, tail_{0};
  std::atomic<Goroutine *> slots_[LocalQueueSize] = {};
};

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_RUN_QUEUES_H
