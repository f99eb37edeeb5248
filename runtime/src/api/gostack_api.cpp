//===-- api/gostack_api.cpp - gostack.h over the scheduler and heap -------===//
//
// The public functions of <gostack/gostack.h> that are not the allocator's:
// go, run, yield, gc, read_mem_stats, num_goroutine, on_current_stack and
// systemstack, over the scheduler (sched/) and the collector (heap/). The
// top floor: nothing below includes it.
//
//===----------------------------------------------------------------------===//

#include "core/sanitizers.h"
#include "heap/allocator.h"
#include "heap/collector.h"
#include "sched/scheduler.h"
#include "sched/stack_growth.h"
#include "sched/stacks.h"

#include <gostack/gostack.h>

#include <condition_variable>
#include <mutex>
#include <pthread.h>

namespace gostack {

void detail::spawn(std::size_t size, std::size_t align, goroutine_builder build,
                   void *arguments) {
  sched::spawn(size, align, build, arguments);
}

int detail::run_main(int (*entry)(void *), void *main_fn) {
  // run() inside a goroutine: already in the runtime.
  if (sched::currentGoroutine())
    return entry(main_fn);
  struct Main final : goroutine_fn {
    int (*entry)(void *);
    void *fn;
    int result = 0;
    bool done = false;
    std::mutex mutex;
    std::condition_variable finished;
    void run() override {
      result = entry(fn);
      // Before run() returns, as a thread's thread_locals before its join.
      sched::currentGoroutine()->locals.destroyAll();
      sched::mainReturned();
      std::lock_guard<std::mutex> lock(mutex);
      done = true;
      finished.notify_all();
    }
  };
  // On this thread's stack, which the collector scans while it waits; the
  // goroutine does not destroy it (nothing to destroy that matters).
  Main main;
  main.entry = entry;
  main.fn = main_fn;
  sched::startMain(&main);
  std::unique_lock<std::mutex> lock(main.mutex);
  main.finished.wait(lock, [&] { return main.done; });
  // Goroutines still running are abandoned, as Go's are when main returns.
  return main.result;
}

void detail::run_on_system_stack(void (*entry)(void *), void *fn) {
  sched::runOnSystemStack(entry, fn);
}

void yield() { sched::yieldNow(); }

void gc() {
  heap::Collector &collector = heap::Collector::get();
  std::uint64_t begun = collector.collectionsBegun();
  if (!sched::currentGoroutine()) {
    collector.collectAfter(begun, /*wait=*/true);
    return;
  }
  // While another goroutine collects, this one lets others run: blocked on
  // the collector's lock, its worker would look stuck in a system call to
  // the monitor, which would start another.
  while (!collector.collectAfter(begun, /*wait=*/false))
    sched::yieldNow();
}

std::size_t num_goroutine() { return sched::liveGoroutines(); }

mem_stats read_mem_stats() {
  mem_stats stats = heap::heapStats();
  stats.stack_inuse = sched::stackBytesInUse();
  stats.stack_copies = sched::stackCopies();
  return stats;
}

bool on_current_stack(GOSTACK_NOESCAPE const void *p) {
  auto address = reinterpret_cast<std::uintptr_t>(p);
  // A local that AddressSanitizer moved to a fake frame is still a local.
  std::uintptr_t frameBegin, frameEnd;
  if (sanitizers::inFakeFrame(sanitizers::currentFakeStack(), address,
                              frameBegin, frameEnd))
    return true;
  if (sched::Goroutine *g = sched::currentGoroutine())
    return address >= g->stack.low && address < g->stack.high;
  // Not in a goroutine: the thread's own stack.
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0)
    return false;
  void *lowest;
  std::size_t size;
  bool inside = pthread_attr_getstack(&attributes, &lowest, &size) == 0 &&
                address >= reinterpret_cast<std::uintptr_t>(lowest) &&
                address - reinterpret_cast<std::uintptr_t>(lowest) < size;
  pthread_attr_destroy(&attributes);
  return inside;
}

} // namespace gostack
