//===-- heap/allocator.cpp - Allocation in the GC heap --------------------===//
//
// Go's allocator: an object is rounded up to its size class, and each thread
// allocates from a span of that class it owns (its cache, Go's mcache)
// without a lock: the fast path takes the next free object from the span's
// allocation bits. A thread whose span is full takes a partly free span from
// the class's central list (filled by the sweep), or a fresh one from the
// page heap. An object over 32 KiB gets a span of its own.
//
// Before a thread takes a span it asks whether the heap has grown to the
// collector's goal; if so it collects first. Everything here runs inside a
// world::NoStopScope: the collector never stops a thread halfway.
//
//===----------------------------------------------------------------------===//

#include "heap/allocator.h"
#include "heap/collector.h"
#include "heap/frame_storage.h"
#include "heap/metadata.h"
#include "heap/page_heap.h"
#include "heap/world.h"

#include <gostack/gostack.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace gostack {
namespace heap {
namespace {

[[noreturn]] void outOfMemory(std::size_t size) {
  char message[96];
  std::snprintf(message, sizeof message,
                "out of memory: cannot allocate %zu-byte block", size);
  detail::fatal(message);
}

/// Set and cleared with the world stopped (collector.cpp).
std::atomic<bool> allocateBlack{false};

/// Counters one thread writes and any thread reads.
struct Counters {
  std::atomic<std::uint64_t> mallocs{0}, bytes{0};

  void add(std::uint64_t objectBytes) {
    mallocs.store(mallocs.load(std::memory_order_relaxed) + 1,
                  std::memory_order_relaxed);
    bytes.store(bytes.load(std::memory_order_relaxed) + objectBytes,
                std::memory_order_relaxed);
  }
};

/// The partly free spans of one size class, for any thread to take.
class CentralList {
public:
  Span *take() {
    std::lock_guard<std::mutex> lock(mutex_);
    Span *span = head_;
    if (span)
      head_ = span->next;
    return span;
  }
  // While the world is stopped, when no thread holds the lock:
  void reset() { head_ = nullptr; }
  // By the sweeper, while threads allocate.
  void add(Span *span) {
    std::lock_guard<std::mutex> lock(mutex_);
    span->next = head_;
    head_ = span;
  }

private:
  std::mutex mutex_;
  Span *head_ = nullptr;
};

CentralList &centralList(unsigned sizeClass) {
  static CentralList *lists = [] {
    auto *array = static_cast<CentralList *>(
        metadataAllocate(sizeof(CentralList) * NumSizeClasses));
    for (unsigned cls = 0; cls < NumSizeClasses; ++cls)
      ::new (&array[cls]) CentralList;
    return array;
  }();
  return lists[sizeClass];
}

class ThreadCache;

/// Every live thread cache, and the counts of the threads that have exited.
class CacheRegistry {
public:
  void add(ThreadCache *cache) {
    world::NoStopScope scope;
    std::lock_guard<std::mutex> lock(mutex_);
    caches_.push_back(cache);
  }
  void remove(ThreadCache *cache, const Counters &counters);
  /// Objects and bytes allocated so far, by every thread.
  void allocated(std::uint64_t &mallocs, std::uint64_t &bytes);
  mem_stats stats();
  /// While the world is stopped.
  const std::vector<ThreadCache *, MetadataAllocator<ThreadCache *>> &
  caches() const {
    return caches_;
  }

private:
  std::mutex mutex_;
  std::vector<ThreadCache *, MetadataAllocator<ThreadCache *>> caches_;
  std::uint64_t exitedMallocs_ = 0, exitedBytes_ = 0;
};

CacheRegistry &registry() {
  static CacheRegistry *instance = newMetadata<CacheRegistry>();
  return *instance;
}

class ThreadCache {
public:
  ThreadCache() { registry().add(this); }
  ~ThreadCache() { registry().remove(this, counters_); }

  /// A new object, or null when the cache needs a span, \p mayCollect is
  /// set and the heap has grown to the collector's goal.
  void *allocate(std::size_t size, std::size_t align, const std::uint64_t *map,
                 Destroyer destroy, bool mayCollect) {
    if (size > HeapBytes)
      outOfMemory(size);
    // A class's objects are aligned to the largest power of two dividing
    // its size (spans start on pages); a stricter alignment rounds up.
    std::size_t rounded =
        (std::max<std::size_t>(size, 1) + align - 1) & ~(align - 1);
    unsigned cls = sizeClassFor(rounded);
    // Every class size is a multiple of 8.
    while (align > 8 && cls && sizeClass(cls).objectSize % align)
      cls = cls + 1 < NumSizeClasses ? cls + 1 : 0;
    if (!cls)
      return allocateLarge(size, rounded, align, map, destroy, mayCollect);
    Span *span = current_[cls];
    std::uint32_t index = span ? span->takeFreeObject() : 0;
    if (!span || index == span->capacity) {
      if (mayCollect && Collector::get().due())
        return nullptr;
      span = current_[cls] = refill(cls, size);
      index = span->takeFreeObject();
    }
    return finishObject(span, index, size, map, destroy);
  }

  void releaseSpans() {
    std::fill(std::begin(current_), std::end(current_), nullptr);
  }
  const Counters &counters() const { return counters_; }

private:
  static Span *refill(unsigned cls, std::size_t size) {
    Collector::get().sweepForAllocation();
    Span *span = centralList(cls).take();
    if (!span)
      span = pageHeap().allocateSpan(sizeClass(cls).spanPages, cls);
    if (!span)
      outOfMemory(size);
    Collector::get().noteAllocation(
        std::uint64_t(span->capacity - span->liveObjects) * span->objectSize);
    return span;
  }

  void *allocateLarge(std::size_t size, std::size_t rounded, std::size_t align,
                      const std::uint64_t *map, Destroyer destroy,
                      bool mayCollect) {
    if (align > PageSize)
      detail::fatal("go_new: alignment over 8192 bytes is not supported");
    if (mayCollect && Collector::get().due())
      return nullptr;
    Collector::get().sweepForAllocation();
    Span *span = pageHeap().allocateSpan((rounded + PageSize - 1) / PageSize,
                                         /*sizeClass=*/0);
    if (!span)
      outOfMemory(size);
    Collector::get().noteAllocation(span->objectSize);
    return finishObject(span, span->takeFreeObject(), size, map, destroy);
  }

  void *finishObject(Span *span, std::uint32_t index, std::size_t size,
                     const std::uint64_t *map, Destroyer destroy) {
    // Objects are zero when handed out, as Go's, whatever their slot held:
    // no stale word in padding or an uninitialised member keeps garbage.
    if (span->needsZero)
      span->zeroObject(index);
    span->recordObject(index, size, map, destroy);
    if (destroy && !span->listedWithDestroyers)
      pageHeap().listWithDestroyers(span);
    if (allocateBlack.load(std::memory_order_relaxed))
      span->markBits.atomicSet(index, true);
    counters_.add(span->objectSize);
    return reinterpret_cast<void *>(span->objectAddress(index));
  }

  Span *current_[NumSizeClasses] = {};
  Counters counters_;
};

void CacheRegistry::remove(ThreadCache *cache, const Counters &counters) {
  world::NoStopScope scope;
  std::lock_guard<std::mutex> lock(mutex_);
  caches_.erase(std::find(caches_.begin(), caches_.end(), cache));
  exitedMallocs_ += counters.mallocs.load(std::memory_order_relaxed);
  exitedBytes_ += counters.bytes.load(std::memory_order_relaxed);
}

void CacheRegistry::allocated(std::uint64_t &mallocs, std::uint64_t &bytes) {
  world::NoStopScope scope;
  std::lock_guard<std::mutex> lock(mutex_);
  mallocs = exitedMallocs_;
  bytes = exitedBytes_;
  for (const ThreadCache *cache : caches_) {
    mallocs += cache->counters().mallocs.load(std::memory_order_relaxed);
    bytes += cache->counters().bytes.load(std::memory_order_relaxed);
  }
}

mem_stats CacheRegistry::stats() {
  mem_stats stats;
  allocated(stats.mallocs, stats.total_alloc);
  Collector::get().addStats(stats);
  return stats;
}

// The allocation fast path reads this pointer, a plain initial-exec TLS
// load (the cache object itself needs a guarded thread_local constructor,
// paid once per thread on the slow path).
[[gnu::tls_model("initial-exec")]] thread_local ThreadCache *currentCache =
    nullptr;

/// Defined with malloc and new (c_heap_functions.cpp) or their tracking
/// (c_heap_tracked.cpp): a program that allocates in the GC heap links them.
extern "C" const char gostack_c_heap_linked;

[[gnu::noinline]] ThreadCache &createThreadCache() {
  // Read, so the reference stays.
  __asm__ volatile("" ::"r"(&gostack_c_heap_linked));
  world::noteThreadStack();
  thread_local ThreadCache cache;
  currentCache = &cache;
  return cache;
}

inline ThreadCache &threadCache() {
  if (ThreadCache *cache = currentCache)
    return *cache;
  return createThreadCache();
}

} // namespace

void allocator::releaseCachedSpans() {
  for (ThreadCache *cache : registry().caches())
    cache->releaseSpans();
}

void allocator::resetCentralLists() {
  for (unsigned cls = 0; cls < NumSizeClasses; ++cls)
    centralList(cls).reset();
}

void allocator::setAllocateBlack(bool on) {
  allocateBlack.store(on, std::memory_order_relaxed);
}

std::uint64_t allocator::bytesAllocated() {
  std::uint64_t mallocs, bytes;
  registry().allocated(mallocs, bytes);
  return bytes;
}

void allocator::addPartialSpan(Span *span) {
  centralList(span->sizeClass).add(span);
}

} // namespace heap

void *detail::gc_alloc(std::size_t size, std::size_t align,
                       const std::uint64_t *map, void (*destroy)(void *)) {
  heap::ThreadCache &cache = heap::threadCache();
  for (bool mayCollect = true;; mayCollect = false) {
    {
      heap::world::NoStopScope scope;
      if (void *object = cache.allocate(size, align, map, destroy, mayCollect))
        return object;
    }
    heap::Collector::get().collectForGoal(
        cache.counters().bytes.load(std::memory_order_relaxed));
  }
}

void *detail::gc_alloc_frame(std::size_t size, std::size_t align) {
  heap::noteFrameStorage();
  return gc_alloc(size, align, heap::FrameStorageMap, nullptr);
}

void detail::gc_abandon(void *object) {
  heap::world::NoStopScope scope;
  if (heap::Span *span = heap::pageHeap().spanOf(object))
    span->recordObject(
        span->objectIndex(reinterpret_cast<std::uintptr_t>(object)), 0, nullptr,
        nullptr);
}

mem_stats heap::heapStats() { return heap::registry().stats(); }

bool in_gc_heap(GOSTACK_NOESCAPE const void *p) {
  return heap::pageHeap().spanOf(p) != nullptr;
}

} // namespace gostack
