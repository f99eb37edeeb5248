//===-- heap/world.h - Stopping every thread for the collector --*- C++ -*-===//
//
// The collector stops the world as Boehm's does on Linux: it lists the
// process's threads in /proc/self/task and sends each a signal (SIGURG, as
// Go's preemption, since programs rarely use it) whose handler publishes
// the thread's stack pointer -- its registers are saved in the signal frame
// below it -- and waits for the world to start again.
//
// A thread inside the allocator is not stopped there: it holds a span in a
// state the collector must not see, or a lock the collector needs. Its
// handler only notes the request; the thread stops on its way out of the
// NoStopScope. The scheduler changes the list of goroutines the collector
// reads the same way. So while the world is stopped no thread is halfway
// through such a change, and none holds such a lock. Inside a scope a thread
// must not block on anything a stopped thread may hold.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_WORLD_H
#define GOSTACK_RUNTIME_HEAP_WORLD_H

#include "heap/mmap_vector.h"

#include <cstdint>
#include <sys/types.h>

namespace gostack::heap::world {

struct StoppedThread {
  pid_t tid;
  std::uintptr_t stackPointer;
  std::uintptr_t stackTop; ///< 0: unknown, see noteThreadStack
  void *fakeStack;         ///< AddressSanitizer's, or null
  bool atStackCheck;       ///< stopped itself at a stack check, not by signal
  std::uintptr_t threadPointer; ///< %fs: where its static TLS ends
};

/// Records where the calling thread's stack ends, so that collections need
/// not look it up in /proc/self/maps. The allocator calls it for each thread
/// on its first allocation.
void noteThreadStack();
/// The calling thread's stack top, once noted (else 0).
std::uintptr_t threadStackTop();

/// Stops every thread of the process but the caller and fills \p stopped.
/// The caller must hold the collector's lock and no lock of the heap.
void stop(MmapVector<StoppedThread> &stopped);
/// Lets the stopped threads run again.
void start();
/// Leaves the calling thread running, and unscanned, in every stop from now
/// on: for the collector's helpers (mark_team.h), which hold no pointer of
/// the program's and work only inside a collection. At most 64 threads.
void neverStop();

/// Registers what stop() calls first, before any signal: the scheduler
/// poisons the stack guards of running goroutines, so that they stop at
/// their next stack check (Go's stop through stackPreempt) -- often before
/// the signal, which stays for threads in native code or the kernel.
void setStopRequestHook(void (*requestStop)());
/// At a goroutine's stack check: stops the calling thread now if the world
/// is being stopped, as the signal would.
void stopAtStackCheck();
/// In the child of a fork: only the forking thread was copied, so no stop is
/// under way, whatever the parent was doing.
void forgetStopsInChild();

namespace detail {
// constinit: no dynamic initialisation, so no TLS wrapper call per access.
[[gnu::tls_model(
    "initial-exec")]] extern constinit thread_local volatile int allocating;
[[gnu::tls_model(
    "initial-exec")]] extern constinit thread_local volatile int stopRequested;
void stopDeferred();
} // namespace detail

/// Marks the thread as not to be stopped for the scope's lifetime (scopes
/// nest): the allocator's and the scheduler's critical sections.
class NoStopScope {
public:
  [[gnu::always_inline]] NoStopScope() {
    detail::allocating = detail::allocating + 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
  }
  [[gnu::always_inline]] ~NoStopScope() {
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    detail::allocating = detail::allocating - 1;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (detail::stopRequested && !detail::allocating)
      detail::stopDeferred();
  }
  NoStopScope(const NoStopScope &) = delete;
  NoStopScope &operator=(const NoStopScope &) = delete;
};

} // namespace gostack::heap::world

#endif // GOSTACK_RUNTIME_HEAP_WORLD_H
