//===-- sched/workers.h - Workers and the scheduler's state -----*- C++ -*-===//
//
// What the scheduler's files share (scheduler.h is what the rest of the
// runtime sees): a Worker -- one OS thread running goroutines -- and the
// Scheduler, the process's one set of workers, queues and goroutine lists.
// Each idea has a file of its own:
//
//   scheduler.cpp        the worker loop: finding, stealing, switching to
//                        goroutines, parking, readying, systemstack;
//   goroutine_lists.cpp  making goroutines: ids in batches, free lists
//                        (Go's gFree), the list of all, the live count;
//   monitor.cpp          the monitor thread (Go's sysmon): hand-off for
//                        system calls, preemption, deadlock, SIGQUIT;
//   stack_roots.cpp      goroutine stacks as the collector's roots.
//
// Invariants: a Worker's own fields without atomics are written by its own
// thread only; the list of all goroutines changes only inside a NoStopScope;
// a worker holds no C++ exception state while it runs its loop.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_WORKERS_H
#define GOSTACK_RUNTIME_SCHED_WORKERS_H

#include "sched/goroutine.h"
#include "sched/run_queues.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <sys/types.h>
#include <vector>

namespace gostack::sched {

inline constexpr std::size_t MaxWorkers = 1024;

/// What the worker does once the goroutine that switched to it is off its
/// stack.
enum class AfterSwitch { Yield, Park, Exit };

struct Worker {
  unsigned index = 0;
  Goroutine *free = nullptr; ///< finished goroutines to reuse, no lock
  int freeCount = 0;
  std::uint64_t nextId = 0, endId = 0; ///< this worker's batch of ids
  std::atomic<std::uint64_t> started{0}, finished{0};
  std::atomic<pid_t> tid{0};
  void *schedulerSp = nullptr;
  std::atomic<Goroutine *> current{nullptr};
  /// This thread's stack guard word: the monitor poisons it to preempt.
  std::atomic<std::uintptr_t *> guardSlot{nullptr};
  AfterSwitch after = AfterSwitch::Yield;
  void (*parkUnlock)(void *) = nullptr;
  void *parkArgument = nullptr;
  const char *parkReason = nullptr;
  bool onSystemStack = false;
  SanitizerContext sanitizer;
  std::atomic<std::uint64_t> switches{0};

  LocalQueue queue;

  // Sleeping when idle.
  std::mutex sleepMutex;
  std::condition_variable sleepCondition;
  bool woken = false;
  bool idle = false; // guarded by the scheduler's idleMutex
  std::uint64_t tick = 0;
};

/// The worker running on this thread, or null.
[[gnu::tls_model("initial-exec")]] extern thread_local Worker *currentWorker;

class Scheduler {
public:
  static Scheduler &get() {
    static Scheduler *instance = new Scheduler; // lives as long as the process
    return *instance;
  }

  void start() {
    if (!running_.load(std::memory_order_acquire))
      std::call_once(started_, [this] {
        startWorkers();
        running_.store(true, std::memory_order_release);
      });
  }

  /// A goroutine with a stack of at least \p stackSize bytes, not started
  /// yet (see start()).
  Goroutine *create(bool isMain, std::size_t stackSize);
  /// Gives back a goroutine that create() made but that never started.
  void discard(Goroutine *g);
  Goroutine *reuse();
  std::uint64_t newId();
  void countStart() { count(&Worker::started, outsideStarted); }
  void countFinish() { count(&Worker::finished, outsideFinished); }
  void ready(Goroutine *g, bool next);
  void runWorker(Worker *worker);
  void destroy(Goroutine *g);

  /// Goroutines alive: started minus finished, counted per worker (one
  /// writer each, no shared cache line per goroutine) and here for threads
  /// that are not workers.
  std::size_t live();
  std::atomic<std::int64_t> outsideStarted{0}, outsideFinished{0};
  std::atomic<bool> mainBlocked{false}, mainAlive{false};
  /// Threads blocked in run(), waiting for their main goroutine.
  std::atomic<std::size_t> runCallers{0};

  /// Calls visit(worker, goroutine) for each worker running a goroutine.
  template <class Visit> void forEachRunning(Visit visit) {
    for (std::size_t i = 0, count = workerCount_.load(); i < count; ++i) {
      Worker *worker = workers_[i].load();
      if (Goroutine *g = worker->current.load())
        visit(worker, g);
    }
  }

  /// For the collector, while the world is stopped.
  void forEachGoroutine(void (*visit)(Goroutine *, void *), void *context) {
    for (Goroutine *g = all_; g; g = g->allNext)
      if (!g->dead)
        visit(g, context);
  }

private:
  /// Counts one goroutine started or finished: in this worker's \p own
  /// counter, or in \p outside on a thread that is not a worker.
  void count(std::atomic<std::uint64_t> Worker::*own,
             std::atomic<std::int64_t> &outside);
  void startWorkers();
  Worker *addWorker();
  Goroutine *findRunnable(Worker *worker);
  Goroutine *tryFind(Worker *worker, bool takeRunNext);
  /// Runs the first of \p taken; queues the rest on \p worker.
  Goroutine *keep(Worker *worker, std::vector<Goroutine *> taken);
  /// This worker's share of the global queue.
  Goroutine *takeShare(Worker *worker);
  /// Half of another worker's queue; its run-next goroutine only if
  /// \p takeRunNext (it is about to run there: ping-pong stays put).
  Goroutine *steal(Worker *thief, bool takeRunNext);
  bool anyWork();
  void sleep(Worker *worker);
  void wakeOne();
  void monitor();
  /// Asks the goroutine running on \p worker to yield at its next managed
  /// call (Go's stackPreempt).
  void preempt(Worker *worker);
  /// Makes every running goroutine's next stack check fail: the collector
  /// is stopping the world (no allocation: the world is stopping).
  void poisonRunningGuards();
  bool allAsleep();

  std::once_flag started_;
  std::atomic<bool> running_{false};
  std::atomic<std::size_t> workerCount_{0};
  std::atomic<Worker *> workers_[MaxWorkers] = {};
  std::atomic<std::uint64_t> nextId_{1};

  std::mutex allMutex_; ///< the list of all goroutines
  GlobalQueue global_;

  std::mutex idleMutex_;
  std::vector<Worker *> idle_;
  std::atomic<std::size_t> idleCount_{0}, spinning_{0};

  Goroutine *all_ = nullptr; ///< changed only inside a NoStopScope
  std::mutex freeMutex_;
  Goroutine *free_ = nullptr; ///< finished goroutines any worker may reuse
};

/// Switches from the running goroutine \p g to its worker, which then does
/// \p after; returns when g runs again (on any worker).
void switchToWorker(Goroutine *g, AfterSwitch after);
/// The goroutine's first frame on its own stack.
[[noreturn]] void goroutineMain(void *arg);

// stack_roots.cpp: the callbacks heap::roots gets for goroutine stacks.
/// The top of the goroutine stack holding \p stackPointer, where a stopped
/// thread runs a goroutine.
bool goroutineStackTop(std::uintptr_t stackPointer, std::uintptr_t &top);
/// Calls visit(context, stackPointer, top) for every suspended goroutine's
/// stack, and asks those that use little of it to shrink it.
void forEachGoroutineStack(void (*visit)(void *, std::uintptr_t,
                                         std::uintptr_t),
                           void *context);
/// For the collector: the ranges of the goroutine stack [from, top) that
/// may hold pointers (stack_walk.h).
void forEachRootRange(std::uintptr_t from, std::uintptr_t top,
                      void (*scan)(void *, std::uintptr_t, std::uintptr_t),
                      void *context);

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_WORKERS_H
