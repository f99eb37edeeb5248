//===-- heap/collector.h - Mark-sweep of the GC heap ------------*- C++ -*-===//
//
// A collection marks every object reachable from the roots (roots.h)
// through the objects' pointers (mark.h) -- mostly while the program runs:
// a short stop of the world (world.h) marks from the stacks, registers and
// globals, the program runs on while the rest is marked, and a second short
// stop marks again from the roots and from the pages the program wrote
// meanwhile (write_watch.h; docs/HEAP.md argues why nothing reachable is
// missed). Then, still stopped, it keeps the unreachable objects that have
// a destructor alive for one more cycle and hands them to the finalizer
// thread (finalizers.h), sweeps every span -- the marked objects become the
// allocated ones, empty spans go back to the page heap -- and starts the
// world again. The next collection comes when the heap has grown most of
// the way to GOSTACK_GC percent over what survived (Go's GOGC).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_COLLECTOR_H
#define GOSTACK_RUNTIME_HEAP_COLLECTOR_H

#include "heap/mark_team.h"
#include "heap/mmap_vector.h"
#include "heap/page_heap.h"
#include "heap/roots.h"
#include "heap/world.h"

#include <gostack/gostack.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace gostack::heap {

/// Stops the program if the collector could not see all its memory: another
/// copy of the runtime runs in the process (core/one_runtime.h), or this
/// one came with dlopen and malloc is not its own. Once is enough; the
/// scheduler and the collector each call it when they start.
void checkRuntimeServesProcess();

class Collector {
public:
  enum class Trigger { HeapGoal, Forced };

  static Collector &get();

  /// Whether the heap has grown enough to start a collection.
  bool due() const {
    return heapLive_.load(std::memory_order_relaxed) >=
           trigger_.load(std::memory_order_relaxed);
  }
  /// Counts \p bytes a cache is about to hand out towards the goal.
  void noteAllocation(std::uint64_t bytes) {
    heapLive_.fetch_add(bytes, std::memory_order_relaxed);
  }
  /// For the heap's trigger: asks the collector's thread for a concurrent
  /// collection; at the goal (the program allocates faster than the
  /// collector marks), or when marking stops the world, collects on this
  /// thread, or waits for the collection under way. While one marks, the
  /// thread helps it in proportion to \p allocatedByThread, all the bytes
  /// it allocated so far. The caller must be outside the allocator.
  void collectForGoal(std::uint64_t allocatedByThread);
  /// Collections begun so far: a forced collection asked for now is done
  /// once a collection after this many has ended.
  std::uint64_t collectionsBegun() const {
    return begun_.load(std::memory_order_acquire);
  }
  /// A forced collection (gc()): returns true once a collection that began
  /// after \p begun collections has ended -- one run here, or another
  /// thread's, so that callers at the same time share one -- and its
  /// finalizers ran. Without \p wait, false at once while another thread
  /// collects (a goroutine yields then, instead of blocking its worker).
  bool collectAfter(std::uint64_t begun, bool wait);
  /// Stops the world and never starts it again (waiting for a collection
  /// under way): SIGQUIT's dump of every goroutine, before the process ends.
  void stopTheWorldForGood();
  /// Before a thread cache takes a span (inside a NoStopScope): sweeps a
  /// few spans the last collection left unswept, so that partly free ones
  /// reach the central lists before fresh pages are taken.
  void sweepForAllocation() {
    if (nextToSweep_.load(std::memory_order_relaxed) <
        spansToSweep_.load(std::memory_order_relaxed))
      sweepSomeForAllocation();
  }
  /// Fills the collector's fields of \p stats.
  void addStats(mem_stats &stats) const;

  /// Stops the world, calls \p whileStopped(context), which moves a
  /// goroutine's stack, then adjusts by \p delta every word that points
  /// into [low, high) of the old stack in memory the collector scans --
  /// other threads' stacks and saved registers, other goroutines' stacks,
  /// globals, thread-local storage, the C heap and every GC object -- and
  /// starts the world again: a pointer that unmanaged code lent a managed
  /// function and that was kept outside the stack follows the move
  /// (sched/lent_addresses.h). Called on the worker's own stack.
  void moveStackWorldStopped(void (*whileStopped)(void *), void *context,
                             std::uintptr_t low, std::uintptr_t high,
                             std::uintptr_t delta);

private:
  /// The clock time of a collection's phases, in ms.
  struct Phases {
    double firstStop = 0, concurrent = 0, finalStop = 0;
  };

  Collector();
  void run(Trigger trigger);
  /// The first stop, the concurrent phase and the start of the final stop
  /// of a concurrent collection: returns with the world stopped and every
  /// reachable object marked.
  void markMostlyConcurrently(class Marker &marker, Phases &phases,
                              std::chrono::steady_clock::time_point &finalStop);
  /// Starts watching writes to both heaps: false if the kernel cannot.
  bool watchHeaps();
  /// Wakes the collector's thread (started at the first call).
  void wakeBackground();
  /// Marks with the concurrent marking under way, if any, for what the
  /// calling thread allocated since it last did.
  void assistInProportion(std::uint64_t allocatedByThread,
                          std::uint64_t bytesToGoal);
  /// The collector's thread, gostack-gc: a collection each time it is
  /// woken and one is due.
  [[noreturn]] void collectInBackground();
  /// Stops watching writes, after a collection.
  void unwatchHeaps();
  /// Adds to jobs_ the jobs that find the pages of both heaps written since
  /// the last time (or watchHeaps()) and scan them again: the marked objects
  /// there, and the C heap's blocks (only those in use with \p worldStopped,
  /// all the pages without). MarkTeam::writtenBytes() counts the pages.
  void addWrittenPages(bool worldStopped);
  /// Makes the roots jobs_ (the C heap's blocks only with \p withCHeap),
  /// but for the calling thread's stack, which \p marker scans at once.
  void markRoots(class Marker &marker, bool withCHeap);
  static MarkTeam &team() { return MarkTeam::get(); }
  /// GOSTACK_DEBUG=gccheckmark=1: marks again from scratch, with the world
  /// still stopped, and stops the process if that finds an object the
  /// concurrent marking missed.
  void checkMark();
  /// Stops the world, having listed the globals first (that takes the
  /// dynamic loader's lock, which a stopped thread may hold).
  void stopWorld();
  /// Calls visitor.range(begin, end) for every range of roots but the
  /// calling thread's stack, and visitor.stack(begin, end, fakeStack) for
  /// every other stopped thread's stack outside goroutine stacks.
  template <class Visitor>
  void forEachOtherRoot(Visitor &visitor, bool withCHeap = true);
  /// The part of forEachOtherRoot for one thread's stack.
  template <class Visitor>
  void visitThreadStack(Visitor &visitor, std::uintptr_t stackPointer,
                        std::uintptr_t stackTop, void *fakeStack);
  /// Sweeps the spans of unswept_ (the world running), with the allocating
  /// threads, and returns once every one is swept.
  void sweep();
  void sweepSomeForAllocation();
  /// Sweeps the next unswept span, if any is left: its marked objects
  /// become the allocated ones; empty, it goes back to the page heap,
  /// partly free to its central list. Inside a NoStopScope.
  bool sweepOne();
  void setGoal(std::uint64_t liveBytes);
  void notePause(double pauseMs);
  void trace(Trigger trigger, std::uint64_t heapBefore, std::uint64_t liveBytes,
             const Phases &phases, bool concurrent, std::size_t freed,
             std::size_t destroyed) const;

  std::mutex mutex_; ///< one collection at a time
  std::atomic<bool> backgroundRequested_{false};
  std::once_flag backgroundStarted_;
  std::mutex backgroundMutex_;
  std::condition_variable backgroundWork_;
  /// The heap's bytes, when the next collection starts, and the goal it
  /// should finish by (a thread that reaches it waits for the collection).
  std::atomic<std::uint64_t> heapLive_{0}, trigger_{0}, goal_{0};
  std::atomic<std::uint64_t> begun_{0}, cycles_{0}, frees_{0}, freedBytes_{0};
  std::atomic<std::uint64_t> pauseTotalNs_{0}, lastPauseNs_{0}, maxPauseNs_{0};
  std::atomic<std::uint64_t> pauseNs_[256] = {};
  long percent_;    ///< GOSTACK_GC; negative: off
  bool concurrent_; ///< GOSTACK_DEBUG=gcstoptheworld=1 turns it off
  bool checkMark_;  ///< GOSTACK_DEBUG=gccheckmark=1
  /// Threads that mark with the world stopped, and while it runs.
  int stoppedMarkers_, concurrentMarkers_;
  /// The jobs of the marking phase under way (mark_team.h).
  MarkJobs jobs_;
  /// 0: not tried yet; 1: watching; -1: the kernel cannot.
  std::atomic<int> watching_{0};
  /// How much the heap grew while the last collection marked concurrently.
  std::uint64_t grownWhileMarking_ = 0;
  /// The bytes the last collection marked: what the next should scan.
  std::atomic<std::uint64_t> expectedScan_{0};
  /// The last pass over the written pages before the final stop is under
  /// way: allocating threads join it (collectForGoal).
  std::atomic<bool> closingPass_{false};
  /// Bytes allocated when the collection under way began to allocate
  /// black, and the bytes allocated black until its final stop.
  std::uint64_t allocatedAtStart_ = 0, allocatedBlack_ = 0;
  /// The spans in use at the final stop, until they are swept: the next
  /// to take, how many there are, how many are swept. unswept_ changes
  /// only with the world stopped (filled) and once all are swept (cleared).
  SpanList unswept_;
  std::atomic<std::size_t> nextToSweep_{0}, spansToSweep_{0}, sweptSpans_{0};
  MmapVector<roots::Range> globals_;
  MmapVector<world::StoppedThread> stopped_;
  roots::MemoryMap memoryMap_;
  bool memoryMapRead_ = false; ///< in this stop of the world
};

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_COLLECTOR_H
