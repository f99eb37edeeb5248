//===-- gostack/sync.h - Waiting for goroutines -----------------*- C++ -*-===//
//
/// \file
/// wait_group, Go's sync.WaitGroup.
///
///   gostack::wait_group wg;
///   for (int i = 0; i < n; ++i) {
///     wg.add(1);
///     gostack::go([&wg] { work(); wg.done(); });
///   }
///   wg.wait(); // every work() has returned
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_SYNC_H
#define GOSTACK_SYNC_H

#include "gostack/attributes.h"

#include <atomic>
#include <cstdint>

namespace gostack {

namespace detail {

/// Goroutines (or threads) waiting, first in first out.
struct wait_queue {
  void *head = nullptr, *tail = nullptr;
};

} // namespace detail

/// wait_group waits for a collection of goroutines, as Go's sync.WaitGroup.
class wait_group {
public:
  wait_group() = default;
  wait_group(const wait_group &) = delete;
  wait_group &operator=(const wait_group &) = delete;

  /// Adds n (may be negative) to the counter; at zero the waiters go on.
  /// A negative counter stops the program (Go's panic).
  void add(long n);
  void done();
  /// Blocks until the counter is zero.
  GOSTACK_MAY_PARK void wait();

private:
  std::atomic<std::uint32_t> lock_{0}; ///< the runtime's futex lock
  std::atomic<long> count_{0};
  detail::wait_queue waiters_;
};

} // namespace gostack

#endif // GOSTACK_SYNC_H
