//===-- heap/placeholder_heap.cpp - The GC heap before the collector ------===//
//
// A bump allocator over one reserved address range, standing in for the
// garbage-collected heap until the collector lands. It never frees, so
// destructors of go_new objects do not run yet. What it already gets right,
// and the collector must keep: the heap is one contiguous reservation, so
// in_gc_heap is a range check; memory is committed only as it is used; and
// every allocation is counted in read_mem_stats().
//
//===----------------------------------------------------------------------===//

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <sys/mman.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define GOSTACK_LSAN 1
#endif
#endif

namespace gostack {
namespace {

// Address space only: PROT_NONE reservations cost no memory.
constexpr std::size_t ReservedBytes = std::size_t(64) << 30;
constexpr std::size_t CommitChunk = std::size_t(64) << 20;

class PlaceholderHeap {
public:
  void *allocate(std::size_t size, std::size_t align) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!base_)
      reserve();
    std::uintptr_t start = (top_ + align - 1) & ~(std::uintptr_t(align) - 1);
    std::uintptr_t end = start + (size ? size : 1);
    if (end > base_ + ReservedBytes || !commitUpTo(end))
      outOfMemory(size);
    top_ = end;
    used_.store(end, std::memory_order_release);
    stats_.mallocs++;
    stats_.total_alloc += size;
    stats_.heap_alloc += size;
    return reinterpret_cast<void *>(start);
  }

  bool contains(const void *p) const {
    auto address = reinterpret_cast<std::uintptr_t>(p);
    std::uintptr_t base = base_published_.load(std::memory_order_acquire);
    return base && address >= base &&
           address < used_.load(std::memory_order_acquire);
  }

  mem_stats stats() {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
  }

private:
  void reserve() {
    void *p = mmap(nullptr, ReservedBytes, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
      detail::fatal("cannot reserve address space for the GC heap");
    base_ = top_ = committed_ = reinterpret_cast<std::uintptr_t>(p);
    used_.store(base_, std::memory_order_release);
    base_published_.store(base_, std::memory_order_release);
  }

  bool commitUpTo(std::uintptr_t end) {
    if (end <= committed_)
      return true;
    std::uintptr_t newEnd = (end + CommitChunk - 1) & ~(CommitChunk - 1);
    if (newEnd > base_ + ReservedBytes)
      newEnd = base_ + ReservedBytes;
    if (mprotect(reinterpret_cast<void *>(committed_), newEnd - committed_,
                 PROT_READ | PROT_WRITE) != 0)
      return false;
#ifdef GOSTACK_LSAN
    // What GC objects point to (a moved std::string's buffer) is reachable:
    // LeakSanitizer must scan the heap as it scans globals.
    __lsan_register_root_region(reinterpret_cast<void *>(committed_),
                                newEnd - committed_);
#endif
    committed_ = newEnd;
    return true;
  }

  [[noreturn]] static void outOfMemory(std::size_t size) {
    char message[96];
    std::snprintf(message, sizeof message,
                  "out of memory: cannot allocate %zu-byte block", size);
    detail::fatal(message);
  }

  std::mutex mutex_;
  std::uintptr_t base_ = 0, top_ = 0, committed_ = 0; // guarded by mutex_
  std::atomic<std::uintptr_t> base_published_{0}, used_{0};
  mem_stats stats_; // guarded by mutex_
};

PlaceholderHeap &heap() {
  static PlaceholderHeap instance;
  return instance;
}

} // namespace

void *detail::gc_alloc(std::size_t size, std::size_t align) {
  return heap().allocate(size, align);
}

mem_stats read_mem_stats() { return heap().stats(); }

bool in_gc_heap(const void *p) { return heap().contains(p); }

void gc() { detail::not_implemented("gc"); }

} // namespace gostack
