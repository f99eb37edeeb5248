//===-- heap/frame_storage.cpp - Frames' variables in the GC heap ---------===//

#include "heap/frame_storage.h"
#include "core/sanitizers.h"
#include "heap/page_heap.h"
#include "heap/span.h"

#include <cstddef>

namespace gostack::heap {
namespace {

/// The frame object holding \p word, or 0.
std::uintptr_t frameObjectOf(std::uintptr_t word) {
  Span *span = pageHeap().spanOf(reinterpret_cast<const void *>(word));
  if (!span || !span->hasFrameObjects)
    return 0;
  std::uint32_t index = span->objectIndex(word);
  if (index >= span->capacity || !span->isFrameStorage(index))
    return 0;
  return span->objectAddress(index);
}

std::size_t sizeOf(std::uintptr_t object) {
  return pageHeap().spanOf(reinterpret_cast<const void *>(object))->objectSize;
}

/// The frame objects adjusted so far, in a small open-addressing set (a
/// stack move runs where the world cannot stop: no allocation).
class Visited {
public:
  enum Result { First, Again, Full };
  Result visit(std::uintptr_t object) {
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

private:
  static constexpr std::size_t Capacity = 1024;
  std::uintptr_t seen_[Capacity] = {};
  std::size_t count_ = 0;
};

/// Adjusts the words of \p object, and follows the frame objects it points
/// to that are not visited yet (all of them are adjusted from the stack
/// anyway when the set is full; they are just not followed further).
GOSTACK_SCANS_FOREIGN_MEMORY void adjustObject(std::uintptr_t object,
                                               AdjustWord adjust,
                                               const void *move,
                                               Visited &visited) {
  auto *word = reinterpret_cast<std::uintptr_t *>(object);
  auto *end = reinterpret_cast<std::uintptr_t *>(object + sizeOf(object));
  for (; word != end; ++word) {
    std::uintptr_t old = __atomic_load_n(word, __ATOMIC_RELAXED);
    std::uintptr_t adjusted = adjust(old, move);
    if (adjusted != old) {
      __atomic_compare_exchange_n(word, &old, adjusted, false, __ATOMIC_RELAXED,
                                  __ATOMIC_RELAXED);
      continue;
    }
    std::uintptr_t next = frameObjectOf(old);
    if (next && visited.visit(next) == Visited::First)
      adjustObject(next, adjust, move, visited);
  }
}

} // namespace

GOSTACK_SCANS_FOREIGN_MEMORY void
adjustFrameStorage(const std::uintptr_t *begin, const std::uintptr_t *end,
                   AdjustWord adjust, const void *move) {
  if (!pageHeap().base())
    return;
  Visited visited;
  for (const std::uintptr_t *word = begin; word != end; ++word) {
    std::uintptr_t object = frameObjectOf(*word);
    if (!object)
      continue;
    switch (visited.visit(object)) {
    case Visited::First:
      adjustObject(object, adjust, move, visited);
      break;
    case Visited::Full: {
      // Adjusting twice changes nothing: adjust, without following.
      Visited none;
      none.visit(object);
      adjustObject(object, adjust, move, none);
      break;
    }
    case Visited::Again:
      break;
    }
  }
}

} // namespace gostack::heap
