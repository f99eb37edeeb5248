//===-- heap/collector.h - Mark-sweep of the GC heap ------------*- C++ -*-===//
//
// A collection stops the world (world.h), marks every object reachable from
// the roots (roots.h) through the objects' pointers (mark.h), keeps the
// unreachable objects that have a destructor alive for one more cycle and
// hands them to the finalizer thread (finalizers.h), sweeps every span --
// the marked objects become the allocated ones, empty spans go back to the
// page heap -- and starts the world again. The next collection comes when
// the heap has grown by GOSTACK_GC percent over what survived (Go's GOGC).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_COLLECTOR_H
#define GOSTACK_RUNTIME_HEAP_COLLECTOR_H

#include "heap/mmap_vector.h"
#include "heap/roots.h"
#include "heap/world.h"

#include <gostack/gostack.h>

#include <atomic>
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

  /// Whether the heap has grown to the goal.
  bool due() const {
    return heapLive_.load(std::memory_order_relaxed) >=
           goal_.load(std::memory_order_relaxed);
  }
  /// Counts \p bytes a cache is about to hand out towards the goal.
  void noteAllocation(std::uint64_t bytes) {
    heapLive_.fetch_add(bytes, std::memory_order_relaxed);
  }
  /// For the heap goal: collects if no other thread is collecting (that one
  /// frees what this one would) and a collection is still due. The caller
  /// must be outside the allocator.
  void collectForGoal();
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
  Collector();
  void run(Trigger trigger);
  void markRoots(class Marker &marker);
  /// Stops the world, having listed the globals first (that takes the
  /// dynamic loader's lock, which a stopped thread may hold).
  void stopWorld();
  /// Calls visitor.range(begin, end) for every range of roots but the
  /// calling thread's stack, and visitor.stack(begin, end, fakeStack) for
  /// every other stopped thread's stack outside goroutine stacks.
  template <class Visitor> void forEachOtherRoot(Visitor &visitor);
  /// The part of forEachOtherRoot for one thread's stack.
  template <class Visitor>
  void visitThreadStack(Visitor &visitor, std::uintptr_t stackPointer,
                        std::uintptr_t stackTop, void *fakeStack);
  void sweep(std::uint64_t &liveBytes);
  void setGoal(std::uint64_t liveBytes);
  void trace(Trigger trigger, std::uint64_t heapBefore, std::uint64_t liveBytes,
             double pauseMs, std::size_t freed, std::size_t destroyed) const;

  std::mutex mutex_; ///< one collection at a time
  std::atomic<std::uint64_t> heapLive_{0}, goal_{0};
  std::atomic<std::uint64_t> begun_{0}, cycles_{0}, frees_{0}, freedBytes_{0};
  std::atomic<std::uint64_t> pauseTotalNs_{0}, lastPauseNs_{0};
  long percent_; ///< GOSTACK_GC; negative: off
  MmapVector<roots::Range> globals_;
  MmapVector<world::StoppedThread> stopped_;
  roots::MemoryMap memoryMap_;
  bool memoryMapRead_ = false; ///< in this stop of the world
};

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_COLLECTOR_H
