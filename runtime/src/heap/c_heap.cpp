//===-- heap/c_heap.cpp - malloc's memory, scanned by the collector -------===//
//
// See c_heap.h. Invariants, for a span of a size class:
//  - blocks [0, freeIndex) have been handed out; those on localFree or
//    remoteFree are free, the others in use;
//  - only the owner touches freeIndex, localFree and used, and takes
//    remoteFree; any thread pushes on remoteFree;
//  - used counts the blocks in use plus those on remoteFree, so a span whose
//    used is 0 has no block another thread could still free: the owner may
//    give it back to the page heap.
// A thread's spans of a class other than its current one are on one list
// (span->next/prev), looked through from the head when the current span
// runs out, and rotated, so that every span's freed blocks are found again.
// A span that becomes empty is kept (one per class), so that a program that
// allocates and frees in turn does not take a span from the page heap, under
// its lock, every few blocks. Large blocks freed by a thread are likewise
// kept in a small cache of its own, for its next large allocations.
//
//===----------------------------------------------------------------------===//

#include "heap/c_heap.h"
#include "heap/metadata.h"
#include "heap/page_heap.h"
#include "heap/world.h"

#include <gostack/gostack.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <pthread.h>
#include <utility>
#include <vector>

namespace gostack::heap::cheap {
namespace {

constexpr std::size_t MinimumAlignment = 16; // malloc's, on x86-64
/// Spans looked through when the current one runs out, before a new one.
constexpr unsigned SpansLookedThrough = 16;
/// A C heap span is at least this many pages (64 KiB): Go's classes give
/// one or two blocks per span from 4 KiB up, and malloc frees them one by
/// one, so spans would come and go at every few blocks.
constexpr std::size_t MinimumSpanPages = 8;
/// The most blocks a span holds (spans of the smallest class).
constexpr std::size_t MostBlocksPerSpan = [] {
  std::size_t most = 0;
  for (unsigned cls = 1; cls < NumSizeClasses; ++cls) {
    const SizeClass &sizes = tables::Classes[cls];
    most = std::max(most,
                    std::max<std::size_t>(sizes.spanPages, MinimumSpanPages) *
                        PageSize / sizes.objectSize);
  }
  return most;
}();
/// Freed large blocks a thread keeps for its next large allocations.
constexpr unsigned LargeSpansKept = 4;

/// Spans are kept apart by size class and by whether their blocks are
/// scanned (Go's span classes): a span class is the two together.
constexpr unsigned NumSpanClasses = NumSizeClasses * 2;
unsigned spanClass(unsigned sizeClass, bool pointerFree) {
  return sizeClass * 2 + pointerFree;
}
unsigned spanClassOf(const Span *span) {
  return spanClass(span->sizeClass, span->pointerFree);
}

// Constant-initialised (malloc runs before any constructor) and never
// destroyed (free runs after the last destructor).
union CHeapPages {
  constexpr CHeapPages() : heap(/*listsSpansInUse=*/false) {}
  ~CHeapPages() {}
  PageHeap heap;
};
constinit CHeapPages cHeapPages;
PageHeap &pages() { return cHeapPages.heap; }

void *&nextOf(void *block) { return *static_cast<void **>(block); }

/// The collection cycle a freed span is stamped with, for scavenge(): set
/// by the collector (malloc must not ask it anything).
std::atomic<std::uint64_t> lastCycle{0};
std::uint64_t currentCycle() {
  return lastCycle.load(std::memory_order_relaxed);
}

/// A list of spans through next/prev.
struct SpanQueue {
  Span *head = nullptr, *tail = nullptr;

  void pushBack(Span *span) {
    span->next = nullptr;
    span->prev = tail;
    (tail ? tail->next : head) = span;
    tail = span;
  }
  void remove(Span *span) {
    (span->prev ? span->prev->next : head) = span->next;
    (span->next ? span->next->prev : tail) = span->prev;
    span->next = span->prev = nullptr;
  }
  void pushFront(Span *span) {
    span->prev = nullptr;
    span->next = head;
    (head ? head->prev : tail) = span;
    head = span;
  }
  Span *popFront() {
    Span *span = head;
    if (span)
      remove(span);
    return span;
  }
};

/// Spans whose thread exited, by span class, for any thread to adopt.
class Abandoned {
public:
  std::mutex &mutex() { return mutex_; }
  void add(Span *span) {
    std::lock_guard<std::mutex> lock(mutex_);
    queues_[spanClassOf(span)].pushBack(span);
  }
  Span *take(unsigned cls) {
    std::lock_guard<std::mutex> lock(mutex_);
    return queues_[cls].popFront();
  }

private:
  std::mutex mutex_;
  SpanQueue queues_[NumSpanClasses];
};

Abandoned &abandoned() {
  static Abandoned *instance = newMetadata<Abandoned>();
  return *instance;
}

/// One thread's spans. Its own operations need no lock; the orphan heap
/// (below) is shared, under a lock.
class ThreadHeap {
public:
  /// A block of span class \p cls (spanClass()).
  void *allocateSmall(unsigned cls) {
    Span *span = current_[cls];
    if (span)
      if (void *block = takeBlock(span))
        return block;
    span = refill(cls);
    return span ? takeBlock(span) : nullptr;
  }

  void releaseOwn(Span *span, void *block) {
    nextOf(block) = span->localFree;
    span->localFree = block;
    unsigned cls = spanClassOf(span);
    if (--span->used || span == current_[cls])
      return;
    // Empty: kept as the class's spare (at the head, found first), which
    // gives back the spare it replaces.
    others_[cls].remove(span);
    if (Span *previous = std::exchange(spare_[cls], span);
        previous && previous != span) {
      others_[cls].remove(previous);
      giveBack(previous);
    }
    others_[cls].pushFront(span);
  }

  /// A large block freed by this thread; false when the cache is full.
  bool keepLarge(Span *span) {
    for (Span *&slot : large_)
      if (!slot) {
        span->used = 0;
        slot = span;
        return true;
      }
    return false;
  }

  /// A kept large span of \p pages pages, or null.
  Span *takeLarge(std::size_t pages) {
    for (Span *&slot : large_)
      if (slot && slot->pages == pages)
        return std::exchange(slot, nullptr);
    return nullptr;
  }

  /// The thread exits: its spans are left for others to adopt.
  void abandonAll() {
    for (unsigned cls = spanClass(1, false); cls < NumSpanClasses; ++cls) {
      spare_[cls] = nullptr;
      if (Span *span = std::exchange(current_[cls], nullptr))
        abandon(span);
      while (Span *span = others_[cls].popFront())
        abandon(span);
    }
    for (Span *&slot : large_)
      if (Span *span = std::exchange(slot, nullptr))
        pages().freeSpan(span, currentCycle());
  }

private:
  static void *takeBlock(Span *span) {
    void *block = span->localFree;
    if (!block && span->remoteFree.load(std::memory_order_relaxed))
      block = takeRemote(span);
    if (block)
      span->localFree = nextOf(block);
    else if (span->freeIndex < span->capacity)
      block = reinterpret_cast<void *>(span->objectAddress(span->freeIndex++));
    else
      return nullptr;
    ++span->used;
    return block;
  }

  /// Moves the blocks other threads freed onto the local list; returns it.
  static void *takeRemote(Span *span) {
    void *list = span->remoteFree.exchange(nullptr, std::memory_order_acquire);
    for (void *block = list; block; block = nextOf(block))
      --span->used;
    if (!list)
      return span->localFree;
    // Append the local list (usually empty here) after the remote one.
    void *last = list;
    while (nextOf(last))
      last = nextOf(last);
    nextOf(last) = span->localFree;
    span->localFree = list;
    return list;
  }

  static bool hasFreeBlock(Span *span) {
    return span->localFree || span->freeIndex < span->capacity ||
           span->remoteFree.load(std::memory_order_relaxed);
  }

  Span *refill(unsigned cls) {
    if (Span *full = std::exchange(current_[cls], nullptr))
      others_[cls].pushBack(full);
    SpanQueue &others = others_[cls];
    for (unsigned looked = 0; looked < SpansLookedThrough && others.head;
         ++looked) {
      Span *span = others.popFront();
      if (span->remoteFree.load(std::memory_order_relaxed))
        takeRemote(span);
      if (span == spare_[cls])
        spare_[cls] = nullptr;
      if (hasFreeBlock(span))
        return current_[cls] = span;
      others.pushBack(span);
    }
    Span *span = abandoned().take(cls);
    if (span) {
      span->owner.store(this, std::memory_order_relaxed);
      takeRemote(span);
    } else {
      unsigned sizeClass = cls / 2;
      span = pages().allocateSpan(
          std::max<std::size_t>(heap::sizeClass(sizeClass).spanPages,
                                MinimumSpanPages),
          sizeClass);
      if (!span)
        return nullptr;
      span->pointerFree = cls % 2;
      span->owner.store(this, std::memory_order_relaxed);
    }
    return current_[cls] = span;
  }

  void giveBack(Span *span) {
    span->owner.store(nullptr, std::memory_order_relaxed);
    pages().freeSpan(span, currentCycle());
  }

  void abandon(Span *span) {
    if (span->remoteFree.load(std::memory_order_relaxed))
      takeRemote(span);
    if (span->used == 0)
      return giveBack(span);
    span->owner.store(nullptr, std::memory_order_release);
    abandoned().add(span);
  }

  Span *current_[NumSpanClasses] = {};
  SpanQueue others_[NumSpanClasses];
  Span *spare_[NumSpanClasses] = {}; ///< an empty span, in others_
  Span *large_[LargeSpansKept] = {};
};

// A thread's heap; the sentinel once its thread has started to exit (its
// last frees and allocations, from other destructors, go to the orphan
// heap).
[[gnu::tls_model("initial-exec")]] thread_local ThreadHeap *currentHeap =
    nullptr;
ThreadHeap *const Exiting = reinterpret_cast<ThreadHeap *>(1);

/// The heap of threads that have no heap of their own any more.
struct OrphanHeap {
  std::mutex mutex;
  ThreadHeap heap;
};
OrphanHeap &orphan() {
  static OrphanHeap *instance = newMetadata<OrphanHeap>();
  return *instance;
}

/// Thread heaps are reused, never unmapped: a span's owner pointer may
/// still name one.
std::mutex freeHeapsMutex;
std::vector<ThreadHeap *, MetadataAllocator<ThreadHeap *>> *freeHeaps;

pthread_key_t exitKey;

void threadExits(void *heap) {
  world::NoStopScope scope;
  auto *own = static_cast<ThreadHeap *>(heap);
  own->abandonAll();
  currentHeap = Exiting;
  std::lock_guard<std::mutex> lock(freeHeapsMutex);
  freeHeaps->push_back(own);
}

[[gnu::noinline]] ThreadHeap *createHeap() {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, [] {
    pthread_key_create(&exitKey, threadExits);
    freeHeaps = newMetadata<
        std::vector<ThreadHeap *, MetadataAllocator<ThreadHeap *>>>();
  });
  ThreadHeap *heap = nullptr;
  {
    std::lock_guard<std::mutex> lock(freeHeapsMutex);
    if (!freeHeaps->empty()) {
      heap = freeHeaps->back();
      freeHeaps->pop_back();
    }
  }
  if (!heap)
    heap = newMetadata<ThreadHeap>();
  currentHeap = heap;
  pthread_setspecific(exitKey, heap);
  return heap;
}

// fork() copies one thread: a lock another thread held would stay locked in
// the child, whose first malloc would then wait for ever (a server that
// forks and allocates before exec). So every lock of the C heap is taken
// before fork, in the order they nest, and released after it in both
// processes, as glibc's malloc does -- inside a no-stop scope, since the
// collector may call malloc while the world is stopped.
alignas(world::NoStopScope) unsigned char forkScope[sizeof(world::NoStopScope)];

void lockForFork() {
  ::new (forkScope) world::NoStopScope;
  freeHeapsMutex.lock();
  orphan().mutex.lock();
  abandoned().mutex().lock();
  pages().lockForFork();
  metadataLockForFork();
}
void unlockAfterFork() {
  metadataUnlockAfterFork();
  pages().unlockAfterFork();
  abandoned().mutex().unlock();
  orphan().mutex.unlock();
  // Ends the scope before the lock that serialises forks is released.
  reinterpret_cast<world::NoStopScope *>(forkScope)->~NoStopScope();
  freeHeapsMutex.unlock();
}
void unlockInChild() {
  world::forgetStopsInChild();
  unlockAfterFork();
}
// At load, not in malloc: pthread_atfork allocates.
[[gnu::constructor]] void registerForkHandlers() {
  pthread_atfork(lockForFork, unlockAfterFork, unlockInChild);
}

/// Runs \p f with the calling thread's heap, or the orphan heap (locked).
template <class F> auto withHeap(F f) {
  ThreadHeap *heap = currentHeap;
  if (heap && heap != Exiting)
    return f(*heap);
  if (!heap)
    return f(*createHeap());
  std::lock_guard<std::mutex> lock(orphan().mutex);
  return f(orphan().heap);
}

/// The class of a malloc'd block (16-byte aligned) of up to 1 KiB, by
/// 16-byte steps: malloc's fast path.
constexpr auto MallocClasses = [] {
  std::array<std::uint8_t, 1024 / 16 + 1> Classes{};
  unsigned cls = 1;
  for (std::size_t step = 0; step < Classes.size(); ++step) {
    std::size_t size = std::max<std::size_t>(step * 16, 16);
    while (tables::ObjectSizes[cls] < size ||
           tables::ObjectSizes[cls] % MinimumAlignment)
      ++cls;
    Classes[step] = static_cast<std::uint8_t>(cls);
  }
  return Classes;
}();

unsigned classFor(std::size_t size, std::size_t align) {
  if (align == MinimumAlignment && size <= 1024)
    return MallocClasses[(size + 15) / 16];
  if (size > MaxSmallSize)
    return 0;
  std::size_t rounded =
      (std::max<std::size_t>(size, 1) + align - 1) & ~(align - 1);
  unsigned cls = sizeClassFor(rounded);
  // A class's blocks are aligned to the largest power of two dividing its
  // size (spans start on pages).
  while (cls && sizeClass(cls).objectSize % align)
    cls = cls + 1 < NumSizeClasses ? cls + 1 : 0;
  return cls;
}

void *allocateLarge(std::size_t size, std::size_t align, bool pointerFree) {
  // Pages are 8 KiB-aligned; a stricter alignment takes more pages.
  std::size_t slack = align > PageSize ? align : 0;
  if (size > HeapBytes - slack - PageSize)
    return nullptr;
  std::size_t pageCount = (size + slack + PageSize - 1) / PageSize;
  ThreadHeap *heap = currentHeap;
  Span *span = heap && heap != Exiting ? heap->takeLarge(pageCount) : nullptr;
  if (!span)
    span = pages().allocateSpan(pageCount, 0);
  if (!span)
    return nullptr;
  span->used = 1;
  span->pointerFree = pointerFree;
  std::uintptr_t block = (span->start + align - 1) & ~(align - 1);
  return reinterpret_cast<void *>(block);
}

} // namespace

void *allocate(std::size_t size, std::size_t align, Contents contents) {
  align = std::max(align, MinimumAlignment);
  bool pointerFree = contents == Contents::PointerFree;
  world::NoStopScope scope;
  unsigned cls = classFor(size, align);
  if (!cls)
    return allocateLarge(size, align, pointerFree);
  return withHeap([&](ThreadHeap &heap) {
    return heap.allocateSmall(spanClass(cls, pointerFree));
  });
}

void release(void *block) {
  if (!block)
    return;
  world::NoStopScope scope;
  Span *span = pages().spanOf(block);
  if (!span)
    return;
  ThreadHeap *heap = currentHeap;
  bool ownHeap = heap && heap != Exiting;
  if (!span->sizeClass) {
    if (!ownHeap || !heap->keepLarge(span))
      pages().freeSpan(span, currentCycle());
    return;
  }
  if (ownHeap && span->owner.load(std::memory_order_relaxed) == heap) {
    heap->releaseOwn(span, block);
    return;
  }
  // Another thread's span (or an abandoned one): onto its remote list.
  void *head = span->remoteFree.load(std::memory_order_relaxed);
  do
    nextOf(block) = head;
  while (!span->remoteFree.compare_exchange_weak(
      head, block, std::memory_order_release, std::memory_order_relaxed));
}

std::size_t usableSize(const void *block) {
  Span *span = pages().spanOf(block);
  if (!span)
    return 0;
  if (!span->sizeClass)
    return span->start + span->pages * PageSize -
           reinterpret_cast<std::uintptr_t>(block);
  return span->objectSize;
}

namespace {

/// Calls \p visit for the blocks of \p span in use, clipped to [begin, end).
void visitBlocksOf(Span *span, std::uintptr_t begin, std::uintptr_t end,
                   VisitBlock visit, void *context) {
  if (span->pointerFree)
    return;
  auto visitClipped = [&](std::uintptr_t blockBegin, std::uintptr_t blockEnd) {
    blockBegin = std::max(blockBegin, begin);
    blockEnd = std::min(blockEnd, end);
    if (blockBegin < blockEnd)
      visit(context, blockBegin, blockEnd);
  };
  if (!span->sizeClass) {
    if (span->used) // not one kept free in a thread's cache
      visitClipped(span->start, span->start + span->pages * PageSize);
    return;
  }
  // The free blocks, marked in bits of this call's own: markers on several
  // threads may visit one span at once (heap/mark_team.h).
  std::uint64_t freeBits[(MostBlocksPerSpan + 63) / 64] = {};
  auto markFree = [&](void *list) {
    for (void *block = list; block; block = nextOf(block)) {
      std::uint32_t index =
          span->objectIndex(reinterpret_cast<std::uintptr_t>(block));
      freeBits[index / 64] |= std::uint64_t(1) << (index % 64);
    }
  };
  markFree(span->localFree);
  markFree(span->remoteFree.load(std::memory_order_relaxed));
  std::uint32_t first = begin > span->start ? span->objectIndex(begin) : 0;
  for (std::uint32_t index = first; index < span->freeIndex; ++index) {
    std::uintptr_t blockBegin = span->objectAddress(index);
    if (blockBegin >= end)
      break;
    if (!(freeBits[index / 64] >> (index % 64) & 1))
      visitClipped(blockBegin, blockBegin + span->objectSize);
  }
}

} // namespace

void forEachBlock(VisitBlock visit, void *context) {
  pages().forEachSpanInUse([&](Span *span) {
    visitBlocksOf(span, 0, ~std::uintptr_t(0), visit, context);
  });
}

void forEachBlockIn(std::uintptr_t begin, std::uintptr_t end, VisitBlock visit,
                    void *context) {
  pages().forEachSpanInUse(begin, end, [&](Span *span) {
    visitBlocksOf(span, begin, end, visit, context);
  });
}

roots::Range committedRange() {
  std::uintptr_t base = pages().base();
  return {base, base + pages().committedBytes()};
}

roots::Range reservedRange() {
  std::uintptr_t base = pages().base();
  return {base, base ? base + HeapBytes : 0};
}

void scavenge(std::uint64_t cycle) {
  lastCycle.store(cycle, std::memory_order_relaxed);
  pages().scavenge(cycle);
}

} // namespace gostack::heap::cheap
