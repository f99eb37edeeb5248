//===-- heap/page_heap.h - The GC heap's pages and spans --------*- C++ -*-===//
//
// The GC heap is one reserved address range (so in_gc_heap is O(1)),
// committed as it is used, handed out in spans: runs of 8 KiB pages that
// hold objects of one size class, or one large object. A table maps every
// page to its span, for in_gc_heap now and for the collector's interior
// pointers later.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_PAGE_HEAP_H
#define GOSTACK_RUNTIME_HEAP_PAGE_HEAP_H

#include "heap/size_classes.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace gostack::heap {

/// The heap's address range: no object is larger.
inline constexpr std::size_t HeapBytes = std::size_t(64) << 30;

struct Span {
  std::uintptr_t start = 0;
  std::size_t pages = 0;
  unsigned sizeClass = 0;     ///< 0: one large object
  std::size_t objectSize = 0; ///< for a large object: its span's bytes
  std::uint32_t capacity = 0; ///< objects the span holds
  std::uint32_t nextFree = 0; ///< objects handed out so far

  /// Records the layout of object \p index, of \p size bytes, from \p map
  /// (see detail::pointer_map; null or not filled in: unknown).
  void recordLayout(std::uint32_t index, std::size_t size,
                    const std::uint64_t *map);
  /// Whether word \p word of the span may hold a pointer the collector must
  /// follow: per the object's map, or any word of an object without one.
  bool mayHoldPointer(std::size_t word) const;

  /// One bit per word of the span: may hold a pointer (precise objects).
  std::vector<std::uint64_t> pointerWords;
  /// One bit per object: its layout is known.
  std::vector<std::uint64_t> preciseObjects;
};

class PageHeap {
public:
  /// A span of \p pages fresh pages for \p sizeClass; null when the heap's
  /// address range is exhausted or the memory cannot be committed.
  Span *allocateSpan(std::size_t pages, unsigned sizeClass);

  /// The span holding \p address, or null (not in the heap, or in pages not
  /// handed out).
  const Span *spanOf(const void *address) const;

private:
  void reserve();
  bool commitUpTo(std::uintptr_t end);

  std::mutex mutex_;
  std::uintptr_t top_ = 0, committed_ = 0; // guarded by mutex_
  std::atomic<std::uintptr_t> base_{0};
  std::atomic<Span *> *spans_ = nullptr; ///< one entry per page
};

/// The span of the GC heap holding \p address, or null.
const Span *spanOfObject(const void *address);

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_PAGE_HEAP_H
