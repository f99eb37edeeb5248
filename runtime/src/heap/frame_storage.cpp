//===-- heap/frame_storage.cpp - Frames' variables in the GC heap ---------===//

#include "heap/frame_storage.h"
#include "core/sanitizers.h"
#include "heap/page_heap.h"
#include "heap/span.h"

#include <cstddef>

namespace gostack::heap {
namespace {

/// Frame objects found and not yet adjusted, and those done: a fixed
/// number, without allocating (a stack move runs where the world cannot
/// stop). Past it, objects are still adjusted when found from the stack,
/// just not followed further.
class FrameObjects {
public:
  /// The frame object holding \p word, if it is one not seen before.
  std::uintptr_t addIfNew(std::uintptr_t word) {
    Span *span = pageHeap().spanOf(reinterpret_cast<const void *>(word));
    if (!span || !span->hasFrameObjects)
      return 0;
    std::uint32_t index = span->objectIndex(word);
    if (index >= span->capacity || !span->isFrameStorage(index))
      return 0;
    std::uintptr_t object = span->objectAddress(index);
    for (std::size_t i = 0; i < count_; ++i)
      if (seen_[i].start == object)
        return 0;
    if (count_ < Capacity)
      seen_[count_++] = {object, span->objectSize};
    return object;
  }
  std::size_t sizeOf(std::uintptr_t object) const {
    return pageHeap()
        .spanOf(reinterpret_cast<const void *>(object))
        ->objectSize;
  }

private:
  static constexpr std::size_t Capacity = 512;
  struct Seen {
    std::uintptr_t start;
    std::size_t size;
  } seen_[Capacity];
  std::size_t count_ = 0;
};

GOSTACK_SCANS_FOREIGN_MEMORY void
adjustObject(std::uintptr_t object, std::size_t size, AdjustWord adjust,
             const void *move, FrameObjects &found) {
  auto *word = reinterpret_cast<std::uintptr_t *>(object);
  auto *end = reinterpret_cast<std::uintptr_t *>(object + size);
  for (; word != end; ++word) {
    std::uintptr_t old = __atomic_load_n(word, __ATOMIC_RELAXED);
    std::uintptr_t adjusted = adjust(old, move);
    if (adjusted != old)
      __atomic_compare_exchange_n(word, &old, adjusted, false, __ATOMIC_RELAXED,
                                  __ATOMIC_RELAXED);
    else if (std::uintptr_t next = found.addIfNew(old))
      adjustObject(next, found.sizeOf(next), adjust, move, found);
  }
}

} // namespace

GOSTACK_SCANS_FOREIGN_MEMORY void
adjustFrameStorage(const std::uintptr_t *begin, const std::uintptr_t *end,
                   AdjustWord adjust, const void *move) {
  if (!pageHeap().base())
    return;
  FrameObjects found;
  for (const std::uintptr_t *word = begin; word != end; ++word)
    if (std::uintptr_t object = found.addIfNew(*word))
      adjustObject(object, found.sizeOf(object), adjust, move, found);
}

} // namespace gostack::heap
