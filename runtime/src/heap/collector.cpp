//===-- heap/collector.cpp - Mark-sweep collection of the GC heap ---------===//

#include "heap/collector.h"
#include "core/one_runtime.h"
#include "core/options.h"
#include "core/sanitizers.h"
#include "heap/allocator.h"
#include "heap/c_heap.h"
#include "heap/finalizers.h"
#include "heap/mark.h"
#include "heap/mark_team.h"
#include "heap/metadata.h"
#include "heap/page_heap.h"
#include "heap/write_watch.h"

#include <chrono>
#include <cstdio>
#include <pthread.h>
#include <thread>

namespace gostack::heap {
namespace {

// Go's minimum heap goal at GOGC=100.
constexpr std::uint64_t MinimumGoal = std::uint64_t(4) << 20;
// Pre-cleaning passes of a concurrent collection, at most, and the written
// bytes below which one more would not shorten the final stop much.
constexpr int PreCleaningPasses = 4;
constexpr std::uint64_t PreCleanedEnough = std::uint64_t(1) << 20;
// Spans a thread sweeps before it takes a span for its cache, while the
// last collection's are not all swept (Go sweeps on allocation too).
constexpr int SpansSweptPerRefill = 4;
// Markers at most, the collecting thread's included.
constexpr long MostMarkers = 32;
// A thread assists a concurrent marking after this many bytes allocated,
// scanning at most MostAssisted bytes at a time.
constexpr std::uint64_t AssistEvery = 64 * 1024;
constexpr std::uint64_t MostAssisted = 4 << 20;

/// Zeroes the stack below the caller's frame, where the frames it calls
/// next will lie: the collector's calls that handle the heaps' ranges
/// (write_watch.h) left heap addresses there, which a stop's scan of this
/// thread's stack would otherwise find in the new frames' unwritten slots
/// and take for pointers to the heap's first objects (Boehm's
/// GC_clear_stack). On the real stack, not a fake frame.
[[gnu::noinline]] GOSTACK_NO_FAKE_FRAME void clearStackBelow() {
  volatile char below[16384];
  for (std::size_t byte = 0; byte < sizeof below; ++byte)
    below[byte] = 0;
}

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

Collector::Collector()
    : percent_(options::gcPercent()),
      concurrent_(!options::debugEnabled("gcstoptheworld")),
      checkMark_(options::debugEnabled("gccheckmark")),
      // With the world stopped every processor marks; while the program
      // runs a quarter of them, rounded (Go's dedicated mark workers), at
      // least one.
      stoppedMarkers_(
          static_cast<int>(std::min(options::maxProcs(), MostMarkers))),
      concurrentMarkers_(std::max(1, (stoppedMarkers_ + 2) / 4)) {
  checkRuntimeServesProcess();
  setGoal(0);
}

void Collector::setGoal(std::uint64_t liveBytes) {
  if (percent_ < 0) {
    goal_.store(~std::uint64_t(0), std::memory_order_relaxed);
    trigger_.store(~std::uint64_t(0), std::memory_order_relaxed);
    return;
  }
  auto percent = static_cast<std::uint64_t>(percent_);
  std::uint64_t goal = std::max(liveBytes + liveBytes / 100 * percent,
                                MinimumGoal * percent / 100);
  // A concurrent collection starts early enough to end at the goal if the
  // program allocates as much while it marks as during the last one (Go's
  // pacer, simplified): between an eighth and half of the way from what
  // survived to the goal before it.
  std::uint64_t room = goal - liveBytes;
  std::uint64_t runway =
      std::clamp(grownWhileMarking_ / 4 * 5, room / 8, room / 2);
  std::uint64_t trigger = concurrent_ && watching_ >= 0 ? goal - runway : goal;
  goal_.store(goal, std::memory_order_relaxed);
  trigger_.store(trigger, std::memory_order_relaxed);
}

void Collector::collectForGoal(std::uint64_t allocatedByThread) {
  // Between the trigger and the goal, a concurrent collection runs on the
  // collector's own thread while this one goes on allocating -- and marks
  // in proportion to what it allocates.
  std::uint64_t heapLive = heapLive_.load(std::memory_order_relaxed),
                goal = goal_.load(std::memory_order_relaxed);
  if (concurrent_ && watching_ >= 0 && heapLive < goal) {
    wakeBackground();
    // Read before the flag: a collection that set it has not ended yet.
    std::uint64_t cycle = cycles_.load();
    if (!closingPass_.load()) {
      assistInProportion(allocatedByThread, goal - heapLive);
      return;
    }
    // The collection's last pass before its final stop: help it, then wait
    // -- stoppable -- until the collection has ended, writing nothing the
    // final stop would rescan.
    team().assist(MarkTeam::Unbounded);
    while (cycles_.load() == cycle)
      std::this_thread::yield();
    return;
  }
  // At the goal (or marking with the world stopped): collect now, or help
  // the marking under way and wait for its end -- yielding, not blocking
  // on the lock: a worker blocked in the kernel would have its goroutines
  // handed to a new worker (sched/monitor.cpp), more workers than
  // GOSTACK_MAXPROCS.
  for (;;) {
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (lock.owns_lock()) {
      if (due())
        run(Trigger::HeapGoal);
      return;
    }
    if (heapLive_.load(std::memory_order_relaxed) <
        goal_.load(std::memory_order_relaxed))
      return; // that collection's final stop set a new goal
    if (!team().assist(MarkTeam::Unbounded))
      std::this_thread::yield();
  }
}

void Collector::assistInProportion(std::uint64_t allocatedByThread,
                                   std::uint64_t bytesToGoal) {
  // Go's assist ratio: the scanning left (estimated from what the last
  // collection marked) over the allocation left before the goal. Paid in
  // steps of at least AssistEvery bytes allocated, each at most
  // MostAssisted scanned.
  static thread_local std::uint64_t assistedUpTo = 0;
  if (allocatedByThread < assistedUpTo) // another thread cache
    assistedUpTo = allocatedByThread;
  std::uint64_t owedFor = allocatedByThread - assistedUpTo;
  if (owedFor < AssistEvery)
    return;
  assistedUpTo = allocatedByThread;
  std::uint64_t expected = expectedScan_.load(std::memory_order_relaxed),
                scanned = team().scanned();
  if (scanned >= expected)
    return;
  double ratio = double(expected - scanned) / double(bytesToGoal);
  auto budget = static_cast<std::uint64_t>(
      std::min(double(MostAssisted), double(owedFor) * ratio));
  if (budget)
    team().assist(budget);
}

void Collector::wakeBackground() {
  if (backgroundRequested_.exchange(true, std::memory_order_acq_rel))
    return; // already asked
  std::call_once(backgroundStarted_, [this] {
    std::thread([this] { collectInBackground(); }).detach();
  });
  std::lock_guard<std::mutex> lock(backgroundMutex_);
  backgroundWork_.notify_one();
}

void Collector::collectInBackground() {
  pthread_setname_np(pthread_self(), "gostack-gc");
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(backgroundMutex_);
      backgroundWork_.wait(lock, [this] {
        return backgroundRequested_.load(std::memory_order_acquire);
      });
    }
    std::lock_guard<std::mutex> lock(mutex_);
    // Cleared under the lock: a request after this sees the next trigger.
    backgroundRequested_.store(false, std::memory_order_release);
    if (due())
      run(Trigger::HeapGoal);
  }
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
  begun_.fetch_add(1, std::memory_order_release);
  MmapVector<Doomed> doomed;
  std::uint64_t heapBefore = heapLive_.load(std::memory_order_relaxed);
  Phases phases;
  Marker marker(pageHeap());
  team().hire(stoppedMarkers_ - 1);
  team().restartProgress();
  bool concurrent = concurrent_ && watchHeaps();
  clearStackBelow(); // where watchHeaps() kept the heaps' ranges
  Clock::time_point finalStop;
  if (concurrent) {
    markMostlyConcurrently(marker, phases, finalStop);
    if (checkMark_)
      checkMark();
  } else {
    finalStop = Clock::now();
    stopWorld();
    markRoots(marker, /*withCHeap=*/true);
    finalizers::markQueued(marker);
    team().mark(marker, jobs_, stoppedMarkers_, /*drain=*/true);
  }
  marker.keepDoomed(doomed);
  std::size_t toDestroy = doomed.size();
  finalizers::enqueue(doomed); // may take the list itself
  // The marked objects are those that live on: the next goal is known
  // before the sweep, which runs once the world has started again. Until a
  // span is swept no thread allocates from it.
  std::uint64_t liveBytes =
      marker.markedBytes() + (concurrent ? allocatedBlack_ : 0);
  allocator::releaseCachedSpans();
  allocator::resetCentralLists();
  pageHeap().takeSpansInUse(unswept_);
  sweptSpans_.store(0, std::memory_order_relaxed);
  nextToSweep_.store(0, std::memory_order_relaxed);
  spansToSweep_.store(unswept_.size(), std::memory_order_relaxed);
  heapLive_.store(liveBytes, std::memory_order_relaxed);
  setGoal(liveBytes);
  // What the next collection will scan, about.
  expectedScan_.store(marker.markedBytes(), std::memory_order_relaxed);
  cycles_.fetch_add(1, std::memory_order_release); // collectForGoal
  // The pause ends as the threads are woken (Go's mark termination takes
  // its end time before it starts the world too): if this thread then
  // waits for a processor, the program runs meanwhile.
  phases.finalStop = millisecondsSince(finalStop);
  world::start();
  notePause(phases.firstStop + phases.finalStop);
  if (toDestroy)
    finalizers::wake();

  if (concurrent)
    unwatchHeaps();
  std::uint64_t freesBefore = frees_.load(std::memory_order_relaxed);
  sweep();
  pageHeap().scavenge(cycles_.load(std::memory_order_relaxed));
  cheap::scavenge(cycles_.load(std::memory_order_relaxed));
  if (options::debugEnabled("gctrace"))
    trace(trigger, heapBefore, liveBytes, phases, concurrent,
          frees_.load(std::memory_order_relaxed) - freesBefore, toDestroy);
}

// Why this finds every object reachable at the final stop (docs/HEAP.md,
// "Marking while the program runs"): every word of the heaps is scanned
// after watchHeaps() began recording writes -- as it was then, or, if the
// program wrote it later, again by the jobs of addWrittenPages; the roots
// outside the heaps (stacks, registers, globals, thread-local storage) are
// scanned again, whole, with the world stopped; and whatever that final stop
// marks is scanned whole while the world is still stopped.
void Collector::markMostlyConcurrently(Marker &marker, Phases &phases,
                                       Clock::time_point &finalStop) {
  bool cHeapWatched = cheap::reservedRange().begin != 0;
  Clock::time_point firstStop = Clock::now();
  stopWorld();
  markRoots(marker, /*withCHeap=*/false);
  // The objects the roots reach stay queued, to be scanned concurrently.
  team().mark(marker, jobs_, stoppedMarkers_, /*drain=*/false);
  // The C heap's blocks now; scanned once the world runs again. A block
  // freed meanwhile is scanned all the same (what it points to lives one
  // more cycle); one allocated meanwhile is written, so rescanned below.
  jobs_.clear();
  if (cHeapWatched)
    cheap::forEachBlock(
        [](void *jobs, std::uintptr_t begin, std::uintptr_t end) {
          static_cast<MarkJobs *>(jobs)->add(MarkJob::Roots, begin, end);
        },
        &jobs_);
  std::uint64_t heapAtStart = heapLive_.load(std::memory_order_relaxed);
  allocatedAtStart_ = allocator::bytesAllocated();
  allocator::setAllocateBlack(true);
  phases.firstStop = millisecondsSince(firstStop); // as the final stop's
  world::start();

  Clock::time_point concurrentBegin = Clock::now();
  team().mark(marker, jobs_, concurrentMarkers_, /*drain=*/true);
  // What the program wrote so far, again while it runs, so that the final
  // stop finds little left (Boehm's "pre-cleaning"): until a pass finds
  // little written, or the program writes as fast as they go.
  for (int pass = 0; pass < PreCleaningPasses; ++pass) {
    jobs_.clear();
    addWrittenPages(/*worldStopped=*/false);
    team().mark(marker, jobs_, concurrentMarkers_, /*drain=*/true);
    if (team().writtenBytes() < PreCleanedEnough)
      break;
  }
  // What the program wrote during the last pass is what the final stop
  // would rescan, and a program that writes pointer tables at random writes
  // pages faster than a marker rescans them (the live-heap benchmark: 1.5
  // MB per ms against 0.5). Unless the last pass found nothing, one more:
  // the threads that allocate during it join it and then wait for the end
  // of the collection (collectForGoal), so that they write little before
  // the final stop -- a wait for the allocating threads, where there would
  // be a longer stop for every thread.
  if (team().writtenBytes()) {
    jobs_.clear();
    addWrittenPages(/*worldStopped=*/false);
    closingPass_.store(true);
    team().mark(marker, jobs_, concurrentMarkers_, /*drain=*/true);
    closingPass_.store(false);
  }
  phases.concurrent = millisecondsSince(concurrentBegin);

  finalStop = Clock::now();
  clearStackBelow();
  stopWorld();
  grownWhileMarking_ = heapLive_.load(std::memory_order_relaxed) - heapAtStart;
  markRoots(marker, /*withCHeap=*/!cHeapWatched);
  addWrittenPages(/*worldStopped=*/true);
  write_watch::setProtecting(false);
  // Objects allocated meanwhile were marked when allocated; they count as
  // live.
  allocator::setAllocateBlack(false);
  allocatedBlack_ = allocator::bytesAllocated() - allocatedAtStart_;
  finalizers::markQueued(marker);
  team().mark(marker, jobs_, stoppedMarkers_, /*drain=*/true);
}

GOSTACK_NO_FAKE_FRAME bool Collector::watchHeaps() {
  if (watching_ < 0)
    return false;
  // Before the first allocation there is nothing to watch, and nothing
  // to mark concurrently.
  std::uintptr_t heapBase = pageHeap().base();
  roots::Range cHeap = cheap::reservedRange();
  if (!heapBase)
    return false;
  if (!write_watch::watch(heapBase, heapBase + HeapBytes) ||
      (cHeap.begin && !write_watch::watch(cHeap.begin, cHeap.end))) {
    watching_ = -1;
    setGoal(heapLive_.load(std::memory_order_relaxed));
    return false;
  }
  watching_ = 1;
  // Before the committed ranges are read: memory committed from here on
  // protects itself (page_heap.cpp).
  write_watch::setProtecting(true);
  write_watch::protect(heapBase, heapBase + pageHeap().committedBytes());
  roots::Range committed = cheap::committedRange();
  if (committed.begin)
    write_watch::protect(committed.begin, committed.end);
  return true;
}

GOSTACK_NO_FAKE_FRAME void Collector::unwatchHeaps() {
  // Until the next collection, writes cost no fault.
  std::uintptr_t heapBase = pageHeap().base();
  write_watch::unprotect(heapBase, heapBase + pageHeap().committedBytes());
  roots::Range committed = cheap::committedRange();
  write_watch::unprotect(committed.begin, committed.end);
}

GOSTACK_NO_FAKE_FRAME void Collector::addWrittenPages(bool worldStopped) {
  // Each job asks the kernel for the written pages of its part of a heap:
  // the page-table walks of a large heap (a millisecond for 2.5 GiB) are
  // shared among the markers, as the scans are.
  std::uintptr_t heapBase = pageHeap().base();
  jobs_.add(MarkJob::WrittenGCPages, heapBase,
            heapBase + pageHeap().committedBytes());
  roots::Range cHeap = cheap::committedRange();
  if (!cHeap.begin)
    return;
  // With the world stopped only the blocks in use; while it runs the free
  // lists cannot be read, and the whole pages are scanned.
  jobs_.add(worldStopped ? MarkJob::WrittenCBlocks : MarkJob::WrittenCPages,
            cHeap.begin, cHeap.end);
}

void Collector::checkMark() {
  // The concurrent marking's bits, set aside; then a full mark from
  // scratch.
  MmapVector<std::uint64_t> concurrentBits;
  SpanList &spans = pageHeap().spansInUse();
  for (Span *span : spans) {
    for (std::size_t word = 0; word < span->markBits.wordCount(); ++word)
      concurrentBits.push_back(span->markBits.word(word));
    span->markBits.zero();
  }
  Marker full(pageHeap());
  markRoots(full, /*withCHeap=*/true);
  finalizers::markQueued(full);
  // On one thread: the simplest marking is the reference.
  team().mark(full, jobs_, 1, /*drain=*/true);
  std::size_t next = 0;
  for (Span *span : spans)
    for (std::size_t word = 0; word < span->markBits.wordCount(); ++word) {
      std::uint64_t concurrent = concurrentBits[next++];
      std::uint64_t missed = span->markBits.word(word) & ~concurrent;
      if (missed) {
        static char message[160];
        std::snprintf(message, sizeof message,
                      "gccheckmark: the object at %p (%zu bytes) is "
                      "reachable, but the concurrent marking did not find it",
                      reinterpret_cast<void *>(span->objectAddress(
                          word * 64 + __builtin_ctzll(missed))),
                      span->objectSize);
        gostack::detail::fatal(message);
      }
      // The concurrent marking's result stands (it may keep more: objects
      // that died while it ran live until the next collection).
      span->markBits.setWord(word, concurrent);
    }
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

/// The same for a suspended goroutine's stack.
template <class Visitor>
void visitGoroutineStack(void *visitor, std::uintptr_t stackPointer,
                         std::uintptr_t top) {
  static_cast<Visitor *>(visitor)->goroutineStack(stackPointer, top);
}

/// The roots of a goroutine's stack [stackPointer, top), by its stack maps
/// where they describe it.
template <class Visitor>
void visitRangesOfStack(Visitor &visitor, std::uintptr_t stackPointer,
                        std::uintptr_t top) {
  roots::goroutineStacks()->forEachRangeOfStack(stackPointer, top,
                                                visitRange<Visitor>, &visitor);
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

template <class Visitor>
void Collector::forEachOtherRoot(Visitor &visitor, bool withCHeap) {
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
    goroutines->forEachStack(visitGoroutineStack<Visitor>, &visitor);
  // Memory from malloc and new: uncollectable, scanned.
  if (withCHeap)
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
  void goroutineStack(std::uintptr_t stackPointer, std::uintptr_t top) {
    visitRangesOfStack(*this, stackPointer, top);
  }
};

/// Makes the roots jobs of a parallel marking.
struct JobsVisitor {
  MarkJobs &jobs;
  void range(std::uintptr_t begin, std::uintptr_t end) {
    jobs.add(MarkJob::Roots, begin, end);
  }
  void stack(std::uintptr_t begin, std::uintptr_t end, void *fakeStack) {
    jobs.add(fakeStack ? MarkJob::Stack : MarkJob::Roots, begin, end,
             fakeStack);
  }
  /// One job per goroutine: its frames are walked by the marker that
  /// takes it, in parallel with the others.
  void goroutineStack(std::uintptr_t stackPointer, std::uintptr_t top) {
    jobs.add(MarkJob::GoroutineStack, stackPointer, top);
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
  void goroutineStack(std::uintptr_t stackPointer, std::uintptr_t top) {
    visitRangesOfStack(*this, stackPointer, top);
  }
};

} // namespace

void Collector::markRoots(Marker &marker, bool withCHeap) {
  jobs_.clear();
  JobsVisitor jobs{jobs_};
  forEachOtherRoot(jobs, withCHeap);
  // The collecting thread's own stack, from here up, now: the frames below
  // this one change as it goes on.
  MarkingVisitor visitor{marker};
  visitThreadStack(visitor, sanitizers::realStackPointer(),
                   world::threadStackTop(), sanitizers::currentFakeStack());
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

void Collector::sweep() {
  for (;;) {
    world::NoStopScope scope;
    if (!sweepOne())
      break;
  }
  // Allocating threads may still be sweeping the last spans they took.
  while (sweptSpans_.load(std::memory_order_acquire) != unswept_.size())
    std::this_thread::yield();
  unswept_.clear(); // keeps its capacity for the next collection
}

void Collector::sweepSomeForAllocation() {
  for (int span = 0; span < SpansSweptPerRefill && sweepOne(); ++span)
    ;
}

bool Collector::sweepOne() {
  std::size_t index = nextToSweep_.fetch_add(1, std::memory_order_relaxed);
  if (index >= spansToSweep_.load(std::memory_order_relaxed))
    return false;
  Span *span = unswept_[index];
  // No thread allocates from the span until it is on a central list; the
  // page heap's and the lists' locks are taken inside NoStopScopes only.
  std::uint32_t freed = span->sweep();
  frees_.fetch_add(freed, std::memory_order_relaxed);
  freedBytes_.fetch_add(std::uint64_t(freed) * span->objectSize,
                        std::memory_order_relaxed);
  if (!span->liveObjects) {
    pageHeap().freeSpan(span, cycles_.load(std::memory_order_relaxed));
  } else {
    pageHeap().returnSpanInUse(span);
    // keepDoomed took the list of spans with destroyers.
    span->listedWithDestroyers = false;
    if (span->hasDestroyers)
      pageHeap().listWithDestroyers(span);
    if (span->sizeClass && span->liveObjects < span->capacity)
      allocator::addPartialSpan(span);
  }
  sweptSpans_.fetch_add(1, std::memory_order_release);
  return true;
}

void Collector::notePause(double pauseMs) {
  auto pauseNs = static_cast<std::uint64_t>(pauseMs * 1e6);
  lastPauseNs_.store(pauseNs, std::memory_order_relaxed);
  pauseTotalNs_.fetch_add(pauseNs, std::memory_order_relaxed);
  if (pauseNs > maxPauseNs_.load(std::memory_order_relaxed))
    maxPauseNs_.store(pauseNs, std::memory_order_relaxed);
  // cycles_ counts this collection already.
  pauseNs_[(cycles_.load(std::memory_order_relaxed) - 1) % 256].store(
      pauseNs, std::memory_order_relaxed);
}

void Collector::trace(Trigger trigger, std::uint64_t heapBefore,
                      std::uint64_t liveBytes, const Phases &phases,
                      bool concurrent, std::size_t freed,
                      std::size_t destroyed) const {
  std::size_t atStackChecks = 0;
  for (const world::StoppedThread &thread : stopped_)
    atStackChecks += thread.atStackCheck;
  char checks[48] = "";
  if (atStackChecks)
    std::snprintf(checks, sizeof checks, " (%zu at stack checks)",
                  atStackChecks);
  // As Go's: the clock time of the first stop, the concurrent marking and
  // the final stop.
  char clock[96];
  if (concurrent)
    std::snprintf(clock, sizeof clock, "%.3f+%.3f+%.3f ms clock",
                  phases.firstStop, phases.concurrent, phases.finalStop);
  else
    std::snprintf(clock, sizeof clock, "%.3f ms stop-the-world",
                  phases.finalStop);
  std::fprintf(stderr,
               "gc %llu @%.3fs: %s, %llu->%llu MB, %llu MB goal, %zu "
               "thread%s%s, %zu objects freed, %zu to destroy%s\n",
               static_cast<unsigned long long>(cycles_.load()),
               millisecondsSince(processStart) / 1000, clock,
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
  stats.max_pause_ns = maxPauseNs_.load(std::memory_order_relaxed);
  for (std::size_t index = 0; index < 256; ++index)
    stats.pause_ns[index] = pauseNs_[index].load(std::memory_order_relaxed);
}

} // namespace gostack::heap
