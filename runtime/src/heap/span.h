//===-- heap/span.h - A run of pages and the objects in it ------*- C++ -*-===//
//
// A span is a run of 8 KiB pages holding objects of one size class, or one
// large object. Per object it keeps the bits the allocator and the
// collector share (Go's mspan):
//
//   allocBits  which objects were live at the last sweep: the allocator
//              hands out the others, in address order, from freeIndex on.
//              Every object below freeIndex is allocated.
//   markBits   which objects the current collection found reachable; the
//              sweep makes them the next allocBits.
//   precise    the object's layout is known: only the words set in
//              pointerWords (one bit per word of the span) can hold
//              pointers. Other objects are scanned word by word.
//   destroyers the function that destroys the object when it is collected
//              (its C++ destructor), or null.
//   frameObjects  the object is storage of a goroutine's frame (a moved
//              local, a variable-length array): a stack move adjusts its
//              words that point into the old stack, as the stack's own.
//
// A span belongs either to one thread's cache, which allocates from it
// without a lock, or to the heap; the collector touches it only while every
// thread is stopped outside the allocator.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_SPAN_H
#define GOSTACK_RUNTIME_HEAP_SPAN_H

#include "core/sanitizers.h"
#include "heap/metadata.h"
#include "heap/size_classes.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gostack::heap {

/// A bitmap whose memory is reused when its span struct is reused, so that
/// the collector never frees it while the world is stopped.
class Bitmap {
public:
  void reset(std::size_t bits) { words_.assign((bits + 63) / 64, 0); }
  bool test(std::size_t bit) const {
    return words_[bit / 64] >> (bit % 64) & 1;
  }
  /// test() while another thread may set or clear bits of the same word:
  /// by the marker while the program runs (a stale answer is made good by
  /// the final stop, collector.cpp), so not checked by ThreadSanitizer.
  GOSTACK_SCANS_FOREIGN_MEMORY bool racyTest(std::size_t bit) const {
    return words_[bit / 64] >> (bit % 64) & 1;
  }
  void set(std::size_t bit) {
    words_[bit / 64] |= std::uint64_t(1) << (bit % 64);
  }
  void clear(std::size_t bit) {
    words_[bit / 64] &= ~(std::uint64_t(1) << (bit % 64));
  }
  /// Sets \p bit, returning whether it was set already.
  bool testAndSet(std::size_t bit) {
    std::uint64_t mask = std::uint64_t(1) << (bit % 64);
    std::uint64_t &word = words_[bit / 64];
    bool wasSet = word & mask;
    word |= mask;
    return wasSet;
  }
  void zero() {
    for (std::uint64_t &word : words_)
      word = 0;
  }
  std::size_t count() const;
  bool empty() const { return words_.empty(); }
  /// Sets \p bit; whether it was set. Atomic: while a collection marks
  /// concurrently, threads allocating black set bits of the same words.
  bool atomicTestAndSet(std::size_t bit) {
    std::uint64_t mask = std::uint64_t(1) << (bit % 64);
    return __atomic_fetch_or(&words_[bit / 64], mask, __ATOMIC_RELAXED) & mask;
  }
  bool atomicTest(std::size_t bit) const {
    return __atomic_load_n(&words_[bit / 64], __ATOMIC_RELAXED) >> (bit % 64) &
           1;
  }
  void atomicSet(std::size_t bit, bool value) {
    std::uint64_t mask = std::uint64_t(1) << (bit % 64);
    if (value)
      __atomic_fetch_or(&words_[bit / 64], mask, __ATOMIC_RELAXED);
    else
      __atomic_fetch_and(&words_[bit / 64], ~mask, __ATOMIC_RELAXED);
  }
  /// Starts fetching the word that holds \p bit into the cache.
  void prefetch(std::size_t bit) const {
    __builtin_prefetch(&words_[bit / 64], /*write=*/1);
  }
  std::uint64_t word(std::size_t index) const { return words_[index]; }
  std::size_t wordCount() const { return words_.size(); }
  void setWord(std::size_t index, std::uint64_t bits) { words_[index] = bits; }
  void swap(Bitmap &other) { words_.swap(other.words_); }

private:
  std::vector<std::uint64_t, MetadataAllocator<std::uint64_t>> words_;
};

using Destroyer = void (*)(void *);

/// The type map passed for frame storage (gc_alloc_frame): scanned word by
/// word, like an object without a map, and adjusted when its stack moves.
/// Element 0 is 2: neither "unknown" (0) nor "precise" (1).
extern const std::uint64_t FrameStorageMap[1];

struct Span {
  enum class State : std::uint8_t { InUse, Free, Unused };

  std::uintptr_t start = 0;
  std::size_t pages = 0;
  unsigned sizeClass = 0;     ///< 0: one large object
  std::size_t objectSize = 0; ///< for a large object: its span's bytes
  std::uint32_t capacity = 0; ///< objects the span holds
  /// Multiplier for object indices without a division: index =
  /// (offset * divMagic) >> 32, exact for every offset inside the span.
  std::uint64_t divMagic = 0;
  std::atomic<State> state{State::Unused};

  // Allocation.
  std::uint32_t freeIndex = 0;
  std::uint64_t allocCache = 0;  ///< ~allocBits from freeIndex on
  std::uint32_t liveObjects = 0; ///< live at the last sweep
  bool needsZero = false;        ///< freed objects are not zeroed until reused
  bool hasDestroyers = false;
  /// On the page heap's list of spans with destroyers (page_heap.h), and
  /// the next there.
  bool listedWithDestroyers = false;
  Span *nextWithDestroyers = nullptr;

  // Lists: a central list of partly free spans, or a page-heap free list.
  Span *next = nullptr, *prev = nullptr;
  std::uint64_t freedInCycle = 0; ///< free runs: when they became free

  Bitmap allocBits, markBits, preciseObjects, pointerWords;
  /// Which objects are frame storage (read concurrently by goroutines that
  /// move their stacks: written and read a word at a time, atomically).
  Bitmap frameObjects;
  bool hasFrameObjects = false;
  /// Empty until the first destroyer.
  std::vector<Destroyer, MetadataAllocator<Destroyer>> destroyers;

  // C heap spans only (c_heap.cpp): blocks freed by the owning thread, and
  // by others (pushed atomically, taken by the owner in one exchange); the
  // thread that owns the span (null: its thread exited), and how many of
  // its blocks are allocated, counting those freed by others only once the
  // owner has taken them.
  void *localFree = nullptr;
  std::atomic<void *> remoteFree{nullptr};
  std::atomic<void *> owner{nullptr};
  std::uint32_t used = 0;
  bool pointerFree = false; ///< its blocks are not scanned

  /// Prepares a fresh span of \p pages at \p start for \p sizeClass.
  void initialise(std::uintptr_t start, std::size_t pages, unsigned sizeClass);

  /// The index of a free object, now allocated, or capacity when the span
  /// is full.
  std::uint32_t takeFreeObject() {
    for (;;) {
      if (allocCache) {
        unsigned skip = static_cast<unsigned>(__builtin_ctzll(allocCache));
        std::uint32_t index = freeIndex + skip;
        if (index >= capacity)
          break;
        freeIndex = index + 1;
        allocCache = skip == 63 ? 0 : allocCache >> (skip + 1);
        return index;
      }
      if (freeIndex >= capacity)
        break;
      std::uint64_t free = ~allocBits.word(freeIndex / 64) >> (freeIndex % 64);
      if (free)
        allocCache = free;
      else
        freeIndex = (freeIndex / 64 + 1) * 64;
    }
    freeIndex = capacity;
    allocCache = 0;
    return capacity;
  }

  /// Records what the collector needs about a newly allocated object.
  void recordObject(std::uint32_t index, std::size_t size,
                    const std::uint64_t *map, Destroyer destroy) {
    // Inline for the common case: no destroyer in the span, no map.
    if (destroy || !destroyers.empty() || (map && map[0] != 0) ||
        hasFrameObjects)
      recordLayout(index, size, map, destroy);
    else
      preciseObjects.clear(index);
  }

  std::uintptr_t objectAddress(std::uint32_t index) const {
    return start + std::uintptr_t(index) * objectSize;
  }
  /// The index of the object holding \p address (inside the span), or
  /// capacity for the tail past the last object.
  std::uint32_t objectIndex(std::uintptr_t address) const {
    if (!sizeClass)
      return 0;
    return static_cast<std::uint32_t>(((address - start) * divMagic) >> 32);
  }
  bool isAllocated(std::uint32_t index) const {
    return index < freeIndex || allocBits.test(index);
  }
  /// isAllocated() by the marker while the span's owner may allocate.
  GOSTACK_SCANS_FOREIGN_MEMORY bool racyIsAllocated(std::uint32_t index) const {
    return index < freeIndex || allocBits.racyTest(index);
  }
  /// Objects allocated now (live at the last sweep or handed out since).
  std::uint32_t allocatedObjects() const;
  /// Whether object \p index has a type map. Read by the marker while the
  /// span's owner may allocate (hence racyTest).
  bool isPrecise(std::uint32_t index) const {
    return preciseObjects.racyTest(index);
  }
  /// Whether object \p index is frame storage. Read by a goroutine moving
  /// its stack while the span's owner may allocate: one word, atomically.
  bool isFrameStorage(std::uint32_t index) const {
    return frameObjects.atomicTest(index);
  }

  /// Zeroes object \p index, which may hold a freed object's bytes.
  void zeroObject(std::uint32_t index) const;

  /// Frees what the marking did not reach: the marked objects become the
  /// allocated ones. Returns the number of objects freed.
  std::uint32_t sweep();

private:
  void recordLayout(std::uint32_t index, std::size_t size,
                    const std::uint64_t *map, Destroyer destroy);
};

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_SPAN_H
