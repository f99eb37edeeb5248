//===-- heap/mark.h - Finding the reachable objects -------------*- C++ -*-===//
//
// Marking is a graph walk over objects with an explicit work list: a word
// that points anywhere into an allocated object (an interior pointer
// included) marks the object and queues it; scanning a queued object looks
// at its pointer words -- those its type map names when the plugin gave
// one, every aligned word otherwise.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_MARK_H
#define GOSTACK_RUNTIME_HEAP_MARK_H

#include "heap/mmap_vector.h"
#include "heap/span.h"

#include <cstdint>

namespace gostack::heap {

class PageHeap;

/// An unreachable object whose destructor the finalizer thread will run.
struct Doomed {
  void *object;
  Destroyer destroy;
};

/// A marked object whose words are still to be scanned.
struct MarkWork {
  Span *span;
  std::uint32_t index;
};

/// Where a marker with more queued objects than it can scan soon gives
/// some away: the other markers of a parallel marking (mark_team.h).
class WorkSink {
public:
  /// Whether another marker is idle and nothing is set aside for it yet.
  virtual bool wantsWork() const = 0;
  /// Takes part of \p queue.
  virtual void give(MmapVector<MarkWork> &queue) = 0;
  /// Counts \p bytes of objects scanned: the marking's progress.
  virtual void noteScanned(std::uint64_t bytes) = 0;

protected:
  ~WorkSink() = default;
};

class Marker {
public:
  explicit Marker(PageHeap &heap);

  /// Treats every aligned word in [begin, end) as a possible pointer.
  void scanRange(std::uintptr_t begin, std::uintptr_t end);
  /// Scans a thread's stack, and the frames of its AddressSanitizer fake
  /// stack (null without one) that it points to.
  void scanStack(std::uintptr_t begin, std::uintptr_t end, void *fakeStack);
  /// Marks the object \p value points into, if any.
  void markPointer(std::uintptr_t value) {
    // Most words of a root are not heap addresses: one compare rejects them.
    if (heapEnd_ - value - 1 < heapBytes_)
      markInHeap(value);
  }
  /// Scans again the part in [begin, end) of every marked object there:
  /// memory the program wrote since the objects were scanned.
  void rescanMarked(std::uintptr_t begin, std::uintptr_t end);
  /// Scans queued objects until none is left, giving some to \p sink (if
  /// any) when it wants them; with a sink, stops once about \p budget
  /// bytes are scanned. Returns the bytes scanned (with a sink).
  std::uint64_t drain(WorkSink *sink = nullptr,
                      std::uint64_t budget = ~std::uint64_t(0));
  /// Moves the unmarked objects that have a destroyer to \p doomed, and
  /// marks them and what they reach: their memory must outlive their
  /// destructors.
  void keepDoomed(MmapVector<Doomed> &doomed);

  /// The objects marked and not scanned yet.
  MmapVector<MarkWork> &queue() { return work_; }
  /// The bytes of the objects marked: those that live on.
  std::uint64_t markedBytes() const { return markedBytes_; }
  /// Counts \p bytes that other markers marked.
  void addMarkedBytes(std::uint64_t bytes) { markedBytes_ += bytes; }

private:
  void markInHeap(std::uintptr_t value);
  /// Marks and queues object \p index of \p span, unless it is marked or
  /// free.
  void markObject(Span &span, std::uint32_t index);
  void scanObject(const MarkWork &work);
  /// Scans [begin, end), part of object \p index of \p span.
  void scanObjectPart(const Span &span, std::uint32_t index,
                      std::uintptr_t begin, std::uintptr_t end);
  bool knownFakeFrame(std::uintptr_t begin);

  struct Frame {
    std::uintptr_t begin, end;
  };

  PageHeap &heap_;
  // The end, not the start: this object is on the scanned stack, and the
  // start is the address of the heap's first object.
  std::uintptr_t heapEnd_, heapBytes_;
  MmapVector<MarkWork> work_;
  MmapVector<Frame> fakeFrames_;
  std::uint64_t markedBytes_ = 0;
};

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_MARK_H
