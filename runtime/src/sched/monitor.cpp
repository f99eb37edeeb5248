//===-- sched/monitor.cpp - The monitor thread (Go's sysmon) --------------===//
//
// A thread that looks at every worker every 1-20 ms. A worker that has run
// one goroutine for StuckMs while others wait is either blocked in the
// kernel -- then the goroutines get another worker (Go's hand-off) -- or
// computing, and then it is preempted at its next stack check. When every
// worker sleeps, nothing is runnable and the main goroutine is blocked, it
// is Go's deadlock. It also answers SIGQUIT.
//
//===----------------------------------------------------------------------===//

#include "core/fatal.h"
#include "core/os.h"
#include "heap/collector.h"
#include "heap/finalizers.h"
#include "sched/stack_guard.h"
#include "sched/traceback.h"
#include "sched/workers.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace gostack::sched {
namespace {

/// A worker that has not switched for this long while goroutines wait is
/// stuck (a blocking system call, a loop).
constexpr long StuckMs = 10;

std::size_t countThreads() {
  std::size_t threads = 0;
  os::forEachThread(
      [](void *count, pid_t) { ++*static_cast<std::size_t *>(count); },
      &threads);
  return threads;
}

/// Whether thread \p tid sleeps in the kernel (a system call), rather than
/// running: only then does another worker help; a goroutine that computes
/// for long keeps its worker, as one would with Go's preemption off.
bool blockedInKernel(pid_t tid) {
  char stat[512];
  if (!os::readThreadFile(tid, "stat", stat, sizeof stat))
    return false;
  // "tid (name) S ...": the state follows the last ')'.
  const char *state = std::strrchr(stat, ')');
  return state && state[1] == ' ' && (state[2] == 'S' || state[2] == 'D');
}

/// Makes the next stack check of the goroutine running on \p worker fail.
/// Only the worker's own loop writes its guard otherwise; it may overwrite
/// this between two goroutines, which asks the next one for nothing.
void poisonGuard(Worker *worker) {
  if (std::uintptr_t *slot = worker->guardSlot.load())
    __atomic_store_n(slot, StackGuardPoison, __ATOMIC_RELAXED);
}

[[noreturn]] void deadlock() {
  core::die("fatal error: all goroutines are asleep - deadlock!\n",
            core::Trailer::All);
}

/// Go's answer to SIGQUIT: every goroutine's stack, exit status 2.
[[noreturn]] void dumpOnQuit() {
  heap::Collector::get().stopTheWorldForGood();
  core::die("SIGQUIT: quit\n", core::Trailer::All);
}

} // namespace

void Scheduler::monitor() {
  pthread_setname_np(pthread_self(), "gostack-monitor");
  std::vector<std::uint64_t> lastSwitches(MaxWorkers);
  std::vector<long> stuckMs(MaxWorkers);
  int asleepTicks = 0;
  for (long pauseMs = 1;; pauseMs = std::min<long>(pauseMs * 2, 20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs));
    if (quitRequested())
      dumpOnQuit();
    std::size_t count = workerCount_.load();
    bool someoneStuck = false, someoneRunning = false;
    for (std::size_t i = 0; i < count; ++i) {
      Worker *worker = workers_[i].load();
      std::uint64_t switches = worker->switches.load();
      bool running = worker->current.load() != nullptr;
      stuckMs[i] =
          running && switches == lastSwitches[i] ? stuckMs[i] + pauseMs : 0;
      lastSwitches[i] = switches;
      someoneRunning |= running;
      if (stuckMs[i] < StuckMs)
        continue;
      if (blockedInKernel(worker->tid))
        someoneStuck = true;
      else if (anyWork())
        preempt(worker);
    }
    if (someoneRunning)
      pauseMs = 1; // look closely while goroutines run
    // Goroutines wait while a worker is stuck and none is free: hand them
    // a new worker.
    if (someoneStuck && !idleCount_.load() && !spinning_.load() && anyWork()) {
      addWorker();
      std::fill(stuckMs.begin(), stuckMs.end(), 0);
    }
    // Twice in a row, so that no worker is merely between two goroutines.
    asleepTicks = allAsleep() ? asleepTicks + 1 : 0;
    if (asleepTicks >= 2)
      deadlock();
  }
}

void Scheduler::preempt(Worker *worker) {
  Goroutine *g = worker->current.load();
  if (!g)
    return;
  g->preemptRequested.store(true, std::memory_order_relaxed);
  poisonGuard(worker);
}

void Scheduler::poisonRunningGuards() {
  forEachRunning([](Worker *worker, Goroutine *) { poisonGuard(worker); });
}

bool Scheduler::allAsleep() {
  if (idleCount_.load() != workerCount_.load() || !mainAlive.load() ||
      !mainBlocked.load() || anyWork())
    return false;
  // A thread the runtime does not know may still wake a goroutine (send on
  // a channel): then it is not a deadlock (as Go with cgo threads).
  std::size_t known = workerCount_.load() + 1 /* monitor */ +
                      runCallers.load() + heap::finalizers::threadCount();
  return countThreads() <= known;
}

} // namespace gostack::sched
