//===-- heap/frame_storage.h - Frames' variables on the heap ----*- C++ -*-===//
//
// A local whose address escapes lives in the GC heap (the plugin's rewrite,
// gc_alloc_frame), and so does a variable-length array that does not fit
// above the stack guard (__morestack_allocate_stack_space). Such an object is
// still a part of its frame: it is reached from the frame, lives as long as
// its scope, and may hold pointers into its goroutine's stack -- put there by
// code the analysis did not place, such as a C caller that passes its own
// local's address to a managed function that keeps it in a moved local
// (leveldb's C API does). Go's invariant "no pointer into a stack lives in
// the heap" does not hold for these objects, so a stack move treats them as
// it treats the stack: every word of a frame object reachable from the moved
// stack (directly, or through other frame objects) that points into the old
// stack is adjusted by the same rule.
//
// Invariants: a frame object is only ever adjusted by the goroutine whose
// stack moves (it is that goroutine's storage); a word is adjusted with a
// compare-and-swap, so a concurrent store by another thread is never lost;
// adjusting is idempotent (an adjusted word points into the new stack, not
// the old), so reaching an object twice is harmless.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_FRAME_STORAGE_H
#define GOSTACK_RUNTIME_HEAP_FRAME_STORAGE_H

#include <cstddef>
#include <cstdint>

namespace gostack::heap {

class PageHeap;

/// How a word that may point into a moved stack is adjusted; returns the
/// word itself when it does not.
using AdjustWord = std::uintptr_t (*)(std::uintptr_t word, const void *move);

/// For one stack move: the stack's copier shows it every word it copies
/// that may point into the GC heap (inHeapRange), while the word is in the
/// cache; each frame object such a word points to gets \p adjust (with
/// \p move) applied to its words, once -- and so on through the frame
/// objects it points to. Runs where the world cannot stop: no allocation.
///
///   heap::FrameStorageAdjuster frames(adjustWord, &move);
///   for (word : copied words) if (frames.inHeapRange(word)) frames.note(word);
class FrameStorageAdjuster {
public:
  FrameStorageAdjuster(AdjustWord adjust, const void *move);

  /// Whether \p word may point to a frame object: never in a program that
  /// has not made one.
  bool inHeapRange(std::uintptr_t word) const { return word - low_ < size_; }
  /// Adjusts the frame object \p word points to, if any and not done yet.
  void note(std::uintptr_t word);

private:
  /// The frame objects adjusted so far, in a small open-addressing set.
  class Visited {
  public:
    enum Result { First, Again, Full };
    Result visit(std::uintptr_t object);

  private:
    static constexpr std::size_t Capacity = 1024;
    std::uintptr_t seen_[Capacity] = {};
    std::size_t count_ = 0;
  };

  void adjustObject(std::uintptr_t object, Visited &visited);

  const PageHeap &heap_;
  AdjustWord adjust_;
  const void *move_;
  std::uintptr_t low_ = 0;
  std::size_t size_ = 0;
  Visited visited_;
};

/// Called before each frame object is made (gc_alloc_frame). A goroutine's
/// own frame objects are made before its stack moves, on its own thread or
/// one its scheduling synchronised with: the move sees this.
void noteFrameStorage();

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_FRAME_STORAGE_H
