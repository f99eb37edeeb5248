//===-- heap/heap.cpp - Allocation in the GC heap
//--------------------------===//
//
// Go's allocator, in its first part: an object is rounded up to its size
// class, and each thread allocates from a span of that class it owns (its
// cache, Go's mcache) without a lock: the fast path is a bounds check and an
// increment. A thread whose span is full takes a fresh span from the page
// heap, under its lock. An object over 32 KiB gets a span of its own.
//
// Spans are not reused yet: nothing is freed until the collector exists
// (issue 5), which will sweep spans back into per-class central lists.
// Memory of fresh spans is zero, as the collector's sweeper will keep it.
//
//===----------------------------------------------------------------------===//

#include "heap/page_heap.h"

#include <gostack/gostack.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace gostack {
namespace heap {
namespace {

PageHeap &pageHeap() {
  static PageHeap *instance = new PageHeap; // lives as long as the process
  return *instance;
}

[[noreturn]] void outOfMemory(std::size_t size) {
  char message[96];
  std::snprintf(message, sizeof message,
                "out of memory: cannot allocate %zu-byte block", size);
  detail::fatal(message);
}

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

class ThreadCache;

/// Every live thread cache, and the counts of the threads that have exited,
/// for read_mem_stats.
class CacheRegistry {
public:
  void add(ThreadCache *cache) {
    std::lock_guard<std::mutex> lock(mutex_);
    caches_.push_back(cache);
  }
  void remove(ThreadCache *cache, const Counters &counters);
  mem_stats stats();

private:
  std::mutex mutex_;
  std::vector<ThreadCache *> caches_;
  std::uint64_t exitedMallocs_ = 0, exitedBytes_ = 0;
};

CacheRegistry &registry() {
  static CacheRegistry *instance = new CacheRegistry;
  return *instance;
}

class ThreadCache {
public:
  ThreadCache() { registry().add(this); }
  ~ThreadCache() { registry().remove(this, counters_); }

  void *allocate(std::size_t size, std::size_t align,
                 const std::uint64_t *map) {
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
      return allocateLarge(size, rounded, align, map);
    Span *span = current_[cls];
    if (!span || span->nextFree == span->capacity)
      span = current_[cls] = freshSpan(cls, size);
    std::uint32_t index = span->nextFree++;
    span->recordLayout(index, size, map);
    counters_.add(span->objectSize);
    std::uintptr_t object =
        span->start + std::uintptr_t(index) * span->objectSize;
    return reinterpret_cast<void *>(object);
  }

  const Counters &counters() const { return counters_; }

private:
  static Span *freshSpan(unsigned cls, std::size_t size) {
    Span *span = pageHeap().allocateSpan(sizeClass(cls).spanPages, cls);
    if (!span)
      outOfMemory(size);
    return span;
  }

  void *allocateLarge(std::size_t size, std::size_t rounded, std::size_t align,
                      const std::uint64_t *map) {
    if (align > PageSize)
      detail::fatal("go_new: alignment over 8192 bytes is not supported");
    Span *span = pageHeap().allocateSpan((rounded + PageSize - 1) / PageSize,
                                         /*sizeClass=*/0);
    if (!span)
      outOfMemory(size);
    span->nextFree = 1;
    span->recordLayout(0, size, map);
    counters_.add(span->objectSize);
    return reinterpret_cast<void *>(span->start);
  }

  Span *current_[NumSizeClasses] = {};
  Counters counters_;
};

void CacheRegistry::remove(ThreadCache *cache, const Counters &counters) {
  std::lock_guard<std::mutex> lock(mutex_);
  caches_.erase(std::find(caches_.begin(), caches_.end(), cache));
  exitedMallocs_ += counters.mallocs.load(std::memory_order_relaxed);
  exitedBytes_ += counters.bytes.load(std::memory_order_relaxed);
}

mem_stats CacheRegistry::stats() {
  std::lock_guard<std::mutex> lock(mutex_);
  mem_stats stats;
  stats.mallocs = exitedMallocs_;
  stats.total_alloc = exitedBytes_;
  for (const ThreadCache *cache : caches_) {
    stats.mallocs += cache->counters().mallocs.load(std::memory_order_relaxed);
    stats.total_alloc +=
        cache->counters().bytes.load(std::memory_order_relaxed);
  }
  // Nothing is freed before the collector exists.
  stats.heap_alloc = stats.total_alloc;
  return stats;
}

// The allocation fast path reads this pointer, a plain initial-exec TLS
// load (the cache object itself needs a guarded thread_local constructor,
// paid once per thread on the slow path).
[[gnu::tls_model("initial-exec")]] thread_local ThreadCache *currentCache =
    nullptr;

[[gnu::noinline]] ThreadCache &createThreadCache() {
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

const Span *spanOfObject(const void *address) {
  return pageHeap().spanOf(address);
}

} // namespace heap

void *detail::gc_alloc(std::size_t size, std::size_t align,
                       const std::uint64_t *map) {
  return heap::threadCache().allocate(size, align, map);
}

mem_stats read_mem_stats() { return heap::registry().stats(); }

bool in_gc_heap(const void *p) { return heap::spanOfObject(p) != nullptr; }

void gc() { detail::not_implemented("gc"); }

} // namespace gostack
