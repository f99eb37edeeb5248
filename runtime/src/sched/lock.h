//===-- sched/lock.h - The runtime's lock -----------------------*- C++ -*-===//
//
// A futex lock (Drepper's three-state mutex, as Go's lock_futex). Unlike a
// pthread mutex it has no owner: a goroutine that parks locks it, and its
// worker unlocks it once the goroutine is off its stack -- possibly, for
// ThreadSanitizer, from another fiber. The word it works on may live in a
// public type (wait_group).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_LOCK_H
#define GOSTACK_RUNTIME_SCHED_LOCK_H

#include <atomic>
#include <climits>
#include <cstdint>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gostack::sched {

class Lock {
public:
  explicit Lock(std::atomic<std::uint32_t> &word) : word_(word) {}

  void lock() {
    std::uint32_t state = Unlocked;
    if (word_.compare_exchange_strong(state, Locked, std::memory_order_acquire))
      return;
    if (state != Contended)
      state = word_.exchange(Contended, std::memory_order_acquire);
    while (state != Unlocked) {
      futex(word_, FUTEX_WAIT_PRIVATE, Contended);
      state = word_.exchange(Contended, std::memory_order_acquire);
    }
  }

  /// After the exchange this object may be gone (a parked goroutine's
  /// worker unlocks, and the goroutine may run and return at once): only
  /// the word, which outlives it, is used.
  void unlock() {
    std::atomic<std::uint32_t> *word = &word_;
    if (word->exchange(Unlocked, std::memory_order_release) == Contended)
      futex(*word, FUTEX_WAKE_PRIVATE, 1);
  }

private:
  enum : std::uint32_t { Unlocked, Locked, Contended };

  static void futex(std::atomic<std::uint32_t> &word, int op,
                    std::uint32_t value) {
    syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&word), op, value,
            nullptr, nullptr, 0);
  }

  std::atomic<std::uint32_t> &word_;
};

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_LOCK_H
