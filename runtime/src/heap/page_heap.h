//===-- heap/page_heap.h - The GC heap's pages and spans --------*- C++ -*-===//
//
// The GC heap is one reserved address range (so in_gc_heap is O(1)),
// committed as it is used, handed out in spans: runs of 8 KiB pages that
// hold objects of one size class, or one large object. A table maps every
// page to its span, so the collector finds the object an interior pointer
// points into.
//
// Freed spans become free runs, merged with free neighbours and kept in
// lists by length; a run free for a whole collection cycle gives its memory
// back to the kernel (Go's scavenger, done at the end of a collection).
//
// There are two: the GC heap's (pageHeap(), whose spans the collector lists
// and sweeps) and the C heap's (c_heap.h: malloc's blocks, freed explicitly
// and scanned by every collection), each with a range of its own, so that a
// pointer into one is never taken for the other.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_PAGE_HEAP_H
#define GOSTACK_RUNTIME_HEAP_PAGE_HEAP_H

#include "heap/span.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace gostack::heap {

/// The heap's address range: no object is larger.
inline constexpr std::size_t HeapBytes = std::size_t(64) << 30;

using SpanList = std::vector<Span *, MetadataAllocator<Span *>>;

class PageHeap {
public:
  /// \p listsSpansInUse: keep spansInUse() for the sweep (the GC heap); the
  /// C heap frees its spans one by one and walks the page table instead.
  explicit constexpr PageHeap(bool listsSpansInUse = true)
      : listsSpansInUse_(listsSpansInUse) {}

  /// A span of \p pages pages for \p sizeClass; null when the heap's
  /// address range is exhausted or the memory cannot be committed.
  Span *allocateSpan(std::size_t pages, unsigned sizeClass);

  /// The span in use holding \p address, or null.
  Span *spanOf(const void *address) const {
    const std::atomic<Span *> *entry =
        spanEntry(reinterpret_cast<std::uintptr_t>(address));
    if (!entry)
      return nullptr;
    Span *span = entry->load(std::memory_order_acquire);
    if (!span ||
        span->state.load(std::memory_order_acquire) != Span::State::InUse)
      return nullptr;
    return span;
  }
  /// Where the span of \p address's page is recorded (null outside the
  /// heap's range): the first step of spanOf(), for a marker that looks up
  /// a batch of addresses a step at a time (mark.cpp). The entry may be
  /// null, or a span not in use.
  const std::atomic<Span *> *spanEntry(std::uintptr_t address) const {
    std::uintptr_t base = base_.load(std::memory_order_acquire);
    if (!base || address - base >= HeapBytes)
      return nullptr;
    return &spans_[(address - base) / PageSize];
  }

  /// The start of the heap's range; 0 before the first allocation.
  std::uintptr_t base() const { return base_.load(std::memory_order_acquire); }
  /// The end of the pages handed out so far: every span lies below.
  std::uintptr_t top() const { return top_.load(std::memory_order_acquire); }

  /// While no thread allocates or frees (the world stopped): calls \p visit
  /// for every span in use that overlaps [begin, end), in address order.
  template <class Visit>
  void forEachSpanInUse(std::uintptr_t begin, std::uintptr_t end,
                        Visit visit) const {
    for (std::uintptr_t page = begin & ~(PageSize - 1);
         page < end && page < top();) {
      Span *span = spanAtPage(page);
      // Acquire: the span's fields were written before its state (the
      // concurrent marking calls this while spans are allocated).
      if (span &&
          span->state.load(std::memory_order_acquire) == Span::State::InUse) {
        visit(span);
        page = span->start + span->pages * PageSize;
      } else {
        page += PageSize;
      }
    }
  }
  /// The same for every span in use.
  template <class Visit> void forEachSpanInUse(Visit visit) const {
    if (std::uintptr_t base = base_.load(std::memory_order_acquire))
      forEachSpanInUse(base, top(), visit);
  }

  // While the world is stopped:
  /// Every span in use, in no order.
  SpanList &spansInUse() { return inUse_; }
  /// Moves the list of spans in use to \p spans, which must be empty: the
  /// sweeper's, while spans allocated from now on start a new list. No
  /// allocation.
  void takeSpansInUse(SpanList &spans) { spans.swap(inUse_); }
  /// Lists \p span, which has objects with destroyers: the collector looks
  /// for dead ones there only, not in every span (Span::hasDestroyers).
  /// Called once per span by its owner (or the sweeper), any time.
  void listWithDestroyers(Span *span) {
    span->listedWithDestroyers = true;
    span->nextWithDestroyers = withDestroyers_.load(std::memory_order_relaxed);
    while (!withDestroyers_.compare_exchange_weak(
        span->nextWithDestroyers, span, std::memory_order_release))
      ;
  }
  /// While the world is stopped: takes the list (through
  /// Span::nextWithDestroyers); the sweeper lists again the spans it keeps.
  Span *takeSpansWithDestroyers() {
    return withDestroyers_.exchange(nullptr, std::memory_order_acquire);
  }
  /// Gives back a span the sweeper kept (any time, inside a NoStopScope).
  void returnSpanInUse(Span *span);
  /// Turns \p span, which the caller has taken out of spansInUse, into
  /// free pages.
  void freeSpan(Span *span, std::uint64_t cycle);
  /// Gives the memory of runs free since before \p cycle back to the kernel.
  /// Returns the bytes released.
  std::size_t scavenge(std::uint64_t cycle);

  /// Around fork(): the heap's lock, held from before it until after it in
  /// both processes.
  void lockForFork() { mutex_.lock(); }
  void unlockAfterFork() { mutex_.unlock(); }

  /// Bytes of address space committed, and of it in free runs.
  std::size_t committedBytes() const;
  std::size_t freeBytes() const;

private:
  static constexpr std::size_t RunLists = 128; ///< the last: 127 pages or more

  void reserve();
  bool commitUpTo(std::uintptr_t end);
  Span *newSpanStruct();
  Span *takeFreeRun(std::size_t pages);
  void insertRun(Span *run);
  void removeRun(Span *run);
  void pointPagesAt(std::uintptr_t start, std::size_t pages, Span *span);
  Span *spanAtPage(std::uintptr_t address) const;

  bool listsSpansInUse_;
  mutable std::mutex mutex_;
  /// The end of the pages handed out so far: written under mutex_, read
  /// without it by the concurrent marking.
  std::atomic<std::uintptr_t> top_{0};
  std::atomic<Span *> withDestroyers_{nullptr};
  std::uintptr_t committed_ = 0; // guarded by mutex_
  std::size_t freePages_ = 0;
  Span *runs_[RunLists] = {};
  Span *unusedStructs_ = nullptr;
  SpanList inUse_;
  std::atomic<std::uintptr_t> base_{0};
  std::atomic<Span *> *spans_ = nullptr; ///< one entry per page
};

PageHeap &pageHeap();

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_PAGE_HEAP_H
