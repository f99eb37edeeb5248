//===-- heap/frame_storage.cpp - Frames' variables in the GC heap ---------===//

#include "heap/frame_storage.h"
#include "core/sanitizers.h"
#include "heap/page_heap.h"
#include "heap/span.h"

#include <atomic>
#include <cstddef>

namespace gostack::heap {
namespace {

/// Whether any frame object was ever made.
std::atomic<bool> anyFrameStorage{false};

/// The frame object holding \p word, or 0. The page heap is passed in: a
/// stack move asks for every word of the stack.
std::uintptr_t frameObjectOf(const PageHeap &heap, std::uintptr_t word) {
  Span *span = heap.spanOf(reinterpret_cast<const void *>(word));
  if (!span || !span->hasFrameObjects)
    return 0;
  std::uint32_t index = span->objectIndex(word);
  if (index >= span->capacity || !span->isFrameStorage(index))
    return 0;
  return span->objectAddress(index);
}

std::size_t sizeOf(const PageHeap &heap, std::uintptr_t object) {
  return heap.spanOf(reinterpret_cast<const void *>(object))->objectSize;
}

} // namespace

FrameStorageAdjuster::Visited::Result
FrameStorageAdjuster::Visited::visit(std::uintptr_t object) {
  if (count_ == Capacity / 2)
    return Full;
  // Fibonacci hashing of the object's 16-byte granule into 10 bits.
  for (std::size_t slot = (object >> 4) * 0x9E3779B97F4A7C15ull >> 54;;
       slot = (slot + 1) % Capacity) {
    if (seen_[slot] == object)
      return Again;
    if (!seen_[slot]) {
      seen_[slot] = object;
      ++count_;
      return First;
    }
  }
}

FrameStorageAdjuster::FrameStorageAdjuster(AdjustWord adjust, const void *move)
    : heap_(pageHeap()), adjust_(adjust), move_(move) {
  if (anyFrameStorage.load(std::memory_order_relaxed) && heap_.base()) {
    low_ = heap_.base();
    size_ = heap_.top() - low_;
  }
}

/// Adjusts the words of \p object, and follows the frame objects it points
/// to that are not visited yet (all of them are adjusted from the stack
/// anyway when the set is full; they are just not followed further).
GOSTACK_SCANS_FOREIGN_MEMORY void
FrameStorageAdjuster::adjustObject(std::uintptr_t object, Visited &visited) {
  auto *word = reinterpret_cast<std::uintptr_t *>(object);
  auto *end =
      reinterpret_cast<std::uintptr_t *>(object + sizeOf(heap_, object));
  for (; word != end; ++word) {
    std::uintptr_t old = __atomic_load_n(word, __ATOMIC_RELAXED);
    std::uintptr_t adjusted = adjust_(old, move_);
    if (adjusted != old) {
      __atomic_compare_exchange_n(word, &old, adjusted, false, __ATOMIC_RELAXED,
                                  __ATOMIC_RELAXED);
      continue;
    }
    std::uintptr_t next = frameObjectOf(heap_, old);
    if (next && visited.visit(next) == Visited::First)
      adjustObject(next, visited);
  }
}

void FrameStorageAdjuster::note(std::uintptr_t word) {
  std::uintptr_t object = frameObjectOf(heap_, word);
  if (!object)
    return;
  switch (visited_.visit(object)) {
  case Visited::First:
    adjustObject(object, visited_);
    break;
  case Visited::Full: {
    // Adjusting twice changes nothing: adjust, without following.
    Visited none;
    none.visit(object);
    adjustObject(object, none);
    break;
  }
  case Visited::Again:
    break;
  }
}

void noteFrameStorage() {
  // Read first: no store, and no cache line bouncing, after the first.
  if (!anyFrameStorage.load(std::memory_order_relaxed))
    anyFrameStorage.store(true, std::memory_order_relaxed);
}

} // namespace gostack::heap
