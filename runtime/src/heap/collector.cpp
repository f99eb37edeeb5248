//===-- heap/collector.cpp - Mark-sweep collection of the GC heap ---------===//

#include "heap/collector.h"
#include "core/one_runtime.h"
#include "core/options.h"
#include "core/sanitizers.h"
#include "heap/allocator.h"
#include "heap/c_heap.h"
#include "heap/finalizers.h"
#include "heap/mark.h"
#include "heap/metadata.h"
#include "heap/page_heap.h"

#include <chrono>
#include <cstdio>

namespace gostack::heap {
namespace {

// Go's minimum heap goal at GOGC=100.
constexpr std::uint64_t MinimumGoal = std::uint64_t(4) << 20;

using Clock = std::chrono::steady_clock;
const Clock::time_point processStart = Clock::now();

double millisecondsSince(Clock::time_point begin) {
  return std::chrono::duration<double, std::milli>(Clock::now() - begin)
      .count();
}

std::uint64_t megabytes(std::uint64_t bytes) { return bytes >> 20; }

} // namespace

Collector &Collector::get() {
  // Metadata memory: first used inside the allocator (see metadata.h).
  static Collector *instance = ::new (metadataAllocate(sizeof(Collector)))
      Collector; // lives as long as the process
  return *instance;
}

void checkRuntimeServesProcess() {
  core::claimProcess();
  if (!cheap::servesProcess())
    gostack::detail::fatal(
        "the runtime was loaded with dlopen, after the process chose its "
        "malloc: the collector cannot see memory from malloc and new, and "
        "would free objects it holds. Link the library that contains "
        "libgostack at startup (or LD_PRELOAD it), not with dlopen");
}

Collector::Collector() : percent_(options::gcPercent()) {
  checkRuntimeServesProcess();
  setGoal(0);
}

void Collector::setGoal(std::uint64_t liveBytes) {
  if (percent_ < 0) {
    goal_.store(~std::uint64_t(0), std::memory_order_relaxed);
    return;
  }
  auto percent = static_cast<std::uint64_t>(percent_);
  std::uint64_t goal = liveBytes + liveBytes / 100 * percent;
  goal_.store(std::max(goal, MinimumGoal * percent / 100),
              std::memory_order_relaxed);
}

void Collector::collectForGoal() {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (lock.owns_lock() && due())
    run(Trigger::HeapGoal);
}

bool Collector::collectAfter(std::uint64_t begun, bool wait) {
  {
    std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
    if (wait)
      lock.lock();
    else if (!lock.try_lock())
      return false;
    // Holding the lock, no collection is under way: one that began after
    // the call has ended, or this thread runs it.
    if (begun_.load(std::memory_order_relaxed) == begun)
      run(Trigger::Forced);
  }
  finalizers::awaitQueued();
  return true;
}

void Collector::stopTheWorldForGood() {
  mutex_.lock(); // never unlocked: no collection after this
  world::stop(stopped_);
}

// Not inlined, so that the callers' frames -- and the registers saved in
// them -- lie above this one on the stack that is scanned.
[[gnu::noinline]] void Collector::run(Trigger trigger) {
  __builtin_unwind_init();
  Clock::time_point begin = Clock::now();
  begun_.fetch_add(1, std::memory_order_release);
  MmapVector<Doomed> doomed;
  std::uint64_t heapBefore = heapLive_.load(std::memory_order_relaxed);

  stopWorld();
  Marker marker(pageHeap());
  markRoots(marker);
  marker.keepDoomed(doomed);
  std::size_t toDestroy = doomed.size();
  finalizers::enqueue(doomed); // may take the list itself
  std::uint64_t liveBytes = 0;
  std::uint64_t freesBefore = frees_.load(std::memory_order_relaxed);
  sweep(liveBytes);
  pageHeap().scavenge(cycles_.load(std::memory_order_relaxed) + 1);
  cheap::scavenge(cycles_.load(std::memory_order_relaxed) + 1);
  heapLive_.store(liveBytes, std::memory_order_relaxed);
  setGoal(liveBytes);
  cycles_.fetch_add(1, std::memory_order_relaxed);
  world::start();

  double pauseMs = millisecondsSince(begin);
  auto pauseNs = static_cast<std::uint64_t>(pauseMs * 1e6);
  lastPauseNs_.store(pauseNs, std::memory_order_relaxed);
  pauseTotalNs_.fetch_add(pauseNs, std::memory_order_relaxed);
  if (toDestroy)
    finalizers::wake();
  if (options::debugEnabled("gctrace"))
    trace(trigger, heapBefore, liveBytes, pauseMs,
          frees_.load(std::memory_order_relaxed) - freesBefore, toDestroy);
}

void Collector::stopWorld() {
  globals_.clear();
  roots::addGlobals(globals_);
  // The calling thread's TLS; the first call asks the dynamic loader.
  globals_.push_back(roots::threadStorage(
      reinterpret_cast<std::uintptr_t>(__builtin_thread_pointer())));
  world::stop(stopped_);
}

/// Calls \p scan(context, begin, end) for the C-style callbacks of roots.h.
template <class Visitor>
void visitRange(void *visitor, std::uintptr_t begin, std::uintptr_t end) {
  static_cast<Visitor *>(visitor)->range(begin, end);
}

template <class Visitor>
void Collector::visitThreadStack(Visitor &visitor, std::uintptr_t stackPointer,
                                 std::uintptr_t stackTop, void *fakeStack) {
  // A thread may be running a goroutine, on the goroutine's stack: scanned
  // by its stack maps (not with a fake stack, whose frames it points to).
  const roots::GoroutineStacks *goroutines = roots::goroutineStacks();
  if (goroutines && goroutines->stackTop(stackPointer, stackTop) &&
      !fakeStack) {
    goroutines->forEachRangeOfStack(stackPointer, stackTop, visitRange<Visitor>,
                                    &visitor);
    return;
  }
  // Threads that never allocated have no stack top noted: /proc/self/maps
  // knows it.
  if (!stackTop) {
    if (!memoryMapRead_)
      memoryMap_.read();
    memoryMapRead_ = true;
    stackTop = memoryMap_.endOfMapping(stackPointer);
  }
  visitor.stack(stackPointer, stackTop, fakeStack);
}

template <class Visitor> void Collector::forEachOtherRoot(Visitor &visitor) {
  memoryMapRead_ = false;
  for (const roots::Range &range : globals_)
    visitor.range(range.begin, range.end);
  for (const world::StoppedThread &thread : stopped_) {
    visitThreadStack(visitor, thread.stackPointer, thread.stackTop,
                     thread.fakeStack);
    roots::Range tls = roots::threadStorage(thread.threadPointer);
    visitor.range(tls.begin, tls.end);
  }
  if (const roots::GoroutineStacks *goroutines = roots::goroutineStacks())
    goroutines->forEachRange(visitRange<Visitor>, &visitor);
  // Memory from malloc and new: uncollectable, scanned.
  cheap::forEachBlock(visitRange<Visitor>, &visitor);
}

namespace {

/// Marks what the roots reach.
struct MarkingVisitor {
  Marker &marker;
  void range(std::uintptr_t begin, std::uintptr_t end) {
    marker.scanRange(begin, end);
  }
  void stack(std::uintptr_t begin, std::uintptr_t end, void *fakeStack) {
    marker.scanStack(begin, end, fakeStack);
  }
};

/// Adjusts the words that point into [low, low + lastOffset] of a moved
/// stack.
struct AdjustingVisitor {
  std::uintptr_t low, lastOffset, delta;
  GOSTACK_SCANS_FOREIGN_MEMORY void range(std::uintptr_t begin,
                                          std::uintptr_t end) {
    for (auto *word = reinterpret_cast<std::uintptr_t *>(begin);
         word < reinterpret_cast<std::uintptr_t *>(end); ++word)
      if (*word - low <= lastOffset)
        *word += delta;
  }
  void stack(std::uintptr_t begin, std::uintptr_t end, void *) {
    range(begin, end);
  }
};

} // namespace

void Collector::markRoots(Marker &marker) {
  MarkingVisitor visitor{marker};
  forEachOtherRoot(visitor);
  // The collecting thread's own stack, from here up.
  visitThreadStack(visitor, sanitizers::realStackPointer(),
                   world::threadStackTop(), sanitizers::currentFakeStack());
  finalizers::markQueued(marker);
  marker.drain();
}

void Collector::moveStackWorldStopped(void (*whileStopped)(void *),
                                      void *context, std::uintptr_t low,
                                      std::uintptr_t high,
                                      std::uintptr_t delta) {
  std::lock_guard<std::mutex> lock(mutex_);
  stopWorld();
  whileStopped(context);
  AdjustingVisitor visitor{low, high - low - 1, delta};
  forEachOtherRoot(visitor);
  // Every GC object, reachable or not: adjusting garbage does no harm.
  for (Span *span : pageHeap().spansInUse())
    visitor.range(span->start, span->start + std::uintptr_t(span->capacity) *
                                                 span->objectSize);
  world::start();
}

void Collector::sweep(std::uint64_t &liveBytes) {
  allocator::releaseCachedSpans();
  allocator::resetCentralLists();
  std::uint64_t cycle = cycles_.load(std::memory_order_relaxed) + 1;
  std::uint64_t freed = 0, freedBytes = 0;
  SpanList &spans = pageHeap().spansInUse();
  std::size_t kept = 0;
  for (Span *span : spans) {
    std::uint32_t spanFreed = span->sweep();
    freed += spanFreed;
    freedBytes += std::uint64_t(spanFreed) * span->objectSize;
    if (!span->liveObjects) {
      pageHeap().freeSpan(span, cycle);
      continue;
    }
    spans[kept++] = span;
    liveBytes += std::uint64_t(span->liveObjects) * span->objectSize;
    if (span->sizeClass && span->liveObjects < span->capacity)
      allocator::addPartialSpan(span);
  }
  // Shrinking keeps the capacity: no call to free while the world is
  // stopped.
  spans.resize(kept);
  frees_.fetch_add(freed, std::memory_order_relaxed);
  freedBytes_.fetch_add(freedBytes, std::memory_order_relaxed);
}

void Collector::trace(Trigger trigger, std::uint64_t heapBefore,
                      std::uint64_t liveBytes, double pauseMs,
                      std::size_t freed, std::size_t destroyed) const {
  std::size_t atStackChecks = 0;
  for (const world::StoppedThread &thread : stopped_)
    atStackChecks += thread.atStackCheck;
  char checks[48] = "";
  if (atStackChecks)
    std::snprintf(checks, sizeof checks, " (%zu at stack checks)",
                  atStackChecks);
  std::fprintf(stderr,
               "gc %llu @%.3fs: %.3f ms stop-the-world, %llu->%llu MB, "
               "%llu MB goal, %zu thread%s%s, %zu objects freed, %zu to "
               "destroy%s\n",
               static_cast<unsigned long long>(cycles_.load()),
               millisecondsSince(processStart) / 1000, pauseMs,
               static_cast<unsigned long long>(megabytes(heapBefore)),
               static_cast<unsigned long long>(megabytes(liveBytes)),
               static_cast<unsigned long long>(megabytes(goal_.load())),
               stopped_.size() + 1, stopped_.size() ? "s" : "", checks, freed,
               destroyed, trigger == Trigger::Forced ? " (forced)" : "");
}

void Collector::addStats(mem_stats &stats) const {
  stats.frees = frees_.load(std::memory_order_relaxed);
  stats.heap_alloc =
      stats.total_alloc - freedBytes_.load(std::memory_order_relaxed);
  stats.num_gc = cycles_.load(std::memory_order_relaxed);
  stats.pause_total_ns = pauseTotalNs_.load(std::memory_order_relaxed);
  stats.last_pause_ns = lastPauseNs_.load(std::memory_order_relaxed);
}

} // namespace gostack::heap
