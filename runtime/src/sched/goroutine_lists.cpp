//===-- sched/goroutine_lists.cpp - Making and reusing goroutines ---------===//
//
// A goroutine is made once and reused: a finished one goes, with its stack
// if that has the starting size, to its worker's free list, and overflows
// to a shared one in batches (Go's gFree); ids come to each worker in
// batches (Go's goidcache); started and finished are counted per worker, so
// no cache line is shared per goroutine. Every goroutine ever made is on
// the list of all, which the collector and tracebacks read.
//
//===----------------------------------------------------------------------===//

#include "heap/world.h"
#include "sched/stack_guard.h"
#include "sched/traceback.h"
#include "sched/workers.h"

#include <mutex>
#include <utility>

namespace gostack::sched {
namespace {

/// Finished goroutines move between a worker's and the shared free list in
/// batches of this many.
constexpr int FreeBatch = 32;
/// Goroutine ids a worker takes at once.
constexpr std::uint64_t IdBatch = 64;

} // namespace

Goroutine *Scheduler::create(bool isMain, std::size_t stackSize) {
  Goroutine *g = reuse();
  if (!g) {
    g = new Goroutine;
    heap::world::NoStopScope scope;
    std::lock_guard<std::mutex> lock(allMutex_);
    g->allNext = all_;
    all_ = g;
  }
  if (g->stack.high && g->stack.size() < stackSize) {
    releaseStack(g->stack);
    g->stack = {};
  }
  if (!g->stack.high)
    g->stack = allocateStack(stackSize);
  g->id = newId();
  g->isMain = isMain;
  g->waitReason.store(wait_reason::Runnable, std::memory_order_relaxed);
  g->sp = nullptr; // nothing to scan until start() sets it
  g->lends = {};
  createFiber(g->sanitizer, g->stack.low, g->stack.high);
  countStart();
  // Last: the collector looks at a goroutine that is not dead.
  heap::world::NoStopScope scope;
  g->dead = false;
  return g;
}

std::size_t Scheduler::live() {
  std::int64_t alive = outsideStarted.load(std::memory_order_relaxed) -
                       outsideFinished.load(std::memory_order_relaxed);
  for (std::size_t i = 0, count = workerCount_.load(); i < count; ++i) {
    Worker *worker = workers_[i].load();
    alive += static_cast<std::int64_t>(
        worker->started.load(std::memory_order_relaxed) -
        worker->finished.load(std::memory_order_relaxed));
  }
  return alive > 0 ? static_cast<std::size_t>(alive) : 0;
}

std::uint64_t Scheduler::newId() {
  // Ids come to each worker in batches (Go's goidcache): no shared counter
  // per goroutine.
  Worker *worker = currentWorker;
  if (!worker)
    return nextId_.fetch_add(1, std::memory_order_relaxed);
  if (worker->nextId == worker->endId) {
    worker->nextId = nextId_.fetch_add(IdBatch, std::memory_order_relaxed);
    worker->endId = worker->nextId + IdBatch;
  }
  return worker->nextId++;
}

Goroutine *Scheduler::reuse() {
  Worker *worker = currentWorker;
  if (worker && !worker->free) {
    // Refill this worker's list from the shared one.
    std::lock_guard<std::mutex> lock(freeMutex_);
    for (int i = 0; i < FreeBatch && free_; ++i) {
      Goroutine *g = std::exchange(free_, free_->nextFree);
      g->nextFree = worker->free;
      worker->free = g;
      ++worker->freeCount;
    }
  }
  if (worker && worker->free) {
    --worker->freeCount;
    return std::exchange(worker->free, worker->free->nextFree);
  }
  std::lock_guard<std::mutex> lock(freeMutex_);
  return free_ ? std::exchange(free_, free_->nextFree) : nullptr;
}

void Scheduler::discard(Goroutine *g) {
  g->isMain = false;
  destroy(g);
}

void Scheduler::destroy(Goroutine *g) {
  {
    heap::world::NoStopScope scope;
    g->dead = true;
  }
  destroyFiber(g->sanitizer);
  g->shrinkRequested.store(false, std::memory_order_relaxed);
  // A goroutine is reused with a stack of the starting size (Go's gfput);
  // with stackfaultonfree the stack is freed (and faults) for good.
  if (stacksFaultOnFree() || g->stack.size() != startingStackSize()) {
    releaseStack(g->stack, g->id, StackRelease::Exited);
    g->stack = {};
  }
  // The main goroutine stops counting when run() returns (mainReturned).
  if (!g->isMain)
    countFinish();
  Worker *worker = currentWorker;
  if (!worker) {
    // discard() on a thread that is not a worker.
    std::lock_guard<std::mutex> lock(freeMutex_);
    g->nextFree = std::exchange(free_, g);
    return;
  }
  g->nextFree = worker->free;
  worker->free = g;
  if (++worker->freeCount < 2 * FreeBatch)
    return;
  // Too many here: half to the shared list, for workers that create.
  std::lock_guard<std::mutex> lock(freeMutex_);
  for (int i = 0; i < FreeBatch; ++i) {
    Goroutine *moved = std::exchange(worker->free, worker->free->nextFree);
    moved->nextFree = free_;
    free_ = moved;
  }
  worker->freeCount -= FreeBatch;
}

void Scheduler::count(std::atomic<std::uint64_t> Worker::*own,
                      std::atomic<std::int64_t> &outside) {
  // A worker's counter has one writer: no locked instruction.
  if (Worker *worker = currentWorker) {
    std::atomic<std::uint64_t> &counter = worker->*own;
    counter.store(counter.load(std::memory_order_relaxed) + 1,
                  std::memory_order_relaxed);
  } else {
    outside.fetch_add(1, std::memory_order_relaxed);
  }
}

std::size_t liveGoroutines() { return Scheduler::get().live(); }

void forEachGoroutine(void (*visit)(Goroutine *, void *), void *context) {
  Scheduler::get().forEachGoroutine(visit, context);
}

} // namespace gostack::sched
