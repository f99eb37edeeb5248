//===-- heap/page_heap.cpp - The GC heap's pages and spans ----------------===//

#include "heap/page_heap.h"
#include "core/os.h"
#include "heap/write_watch.h"

#include <gostack/gostack.h>

#include <new>
#include <sys/mman.h>

#include "core/sanitizers.h"
#ifdef GOSTACK_ASAN
#include <sanitizer/lsan_interface.h>
#endif

namespace gostack::heap {
namespace {

// Address space only: a PROT_NONE reservation costs no memory.
constexpr std::size_t CommitChunk = std::size_t(64) << 20;
constexpr std::size_t ReservedPages = HeapBytes / PageSize;

} // namespace

PageHeap &pageHeap() {
  static PageHeap *instance = newMetadata<PageHeap>(); // as long as the process
  return *instance;
}

void PageHeap::reserve() {
  // The page table is touched only where spans are: untouched, it costs no
  // memory either.
  spans_ = static_cast<std::atomic<Span *> *>(os::mapOrDie(
      ReservedPages * sizeof(std::atomic<Span *>),
      "cannot reserve address space for the GC heap's page table"));
#ifdef GOSTACK_ASAN
  // Spans are reachable through the page table.
  __lsan_register_root_region(spans_,
                              ReservedPages * sizeof(std::atomic<Span *>));
#endif
  void *base = os::reserveOrDie(HeapBytes,
                                "cannot reserve address space for the GC heap");
  committed_ = reinterpret_cast<std::uintptr_t>(base);
  top_.store(committed_, std::memory_order_release);
  base_.store(committed_, std::memory_order_release);
}

bool PageHeap::commitUpTo(std::uintptr_t end) {
  if (end <= committed_)
    return true;
  std::uintptr_t base = base_.load(std::memory_order_relaxed);
  std::uintptr_t newEnd = (end + CommitChunk - 1) & ~(CommitChunk - 1);
  if (newEnd > base + HeapBytes)
    newEnd = base + HeapBytes;
  if (!os::commit(reinterpret_cast<void *>(committed_), newEnd - committed_))
    return false;
  // A collection marking concurrently watches what it already listed; the
  // new memory must be watched before an object lives there.
  if (write_watch::protecting())
    write_watch::protect(committed_, newEnd);
#ifdef GOSTACK_ASAN
  // What GC objects point to (a moved std::string's buffer) is reachable:
  // LeakSanitizer must scan the heap as it scans globals.
  __lsan_register_root_region(reinterpret_cast<void *>(committed_),
                              newEnd - committed_);
#endif
  committed_ = newEnd;
  return true;
}

Span *PageHeap::newSpanStruct() {
  // Structs are reused, never freed: a stale page-table entry read by
  // in_gc_heap on another thread still points at a Span.
  if (Span *span = unusedStructs_) {
    unusedStructs_ = span->next;
    return span;
  }
  return newMetadata<Span>();
}

void PageHeap::pointPagesAt(std::uintptr_t start, std::size_t pages,
                            Span *span) {
  std::size_t first =
      (start - base_.load(std::memory_order_relaxed)) / PageSize;
  for (std::size_t page = first; page < first + pages; ++page)
    spans_[page].store(span, std::memory_order_release);
}

Span *PageHeap::spanAtPage(std::uintptr_t address) const {
  std::uintptr_t base = base_.load(std::memory_order_relaxed);
  if (address < base || address >= top())
    return nullptr;
  return spans_[(address - base) / PageSize].load(std::memory_order_relaxed);
}

void PageHeap::insertRun(Span *run) {
  std::size_t list = run->pages < RunLists ? run->pages : RunLists - 1;
  run->state.store(Span::State::Free, std::memory_order_relaxed);
  run->prev = nullptr;
  run->next = runs_[list];
  if (run->next)
    run->next->prev = run;
  runs_[list] = run;
  freePages_ += run->pages;
}

void PageHeap::removeRun(Span *run) {
  std::size_t list = run->pages < RunLists ? run->pages : RunLists - 1;
  if (run->prev)
    run->prev->next = run->next;
  else
    runs_[list] = run->next;
  if (run->next)
    run->next->prev = run->prev;
  freePages_ -= run->pages;
}

Span *PageHeap::takeFreeRun(std::size_t pages) {
  // The shortest run that fits (best fit keeps long runs for large
  // objects): the first of the first non-empty list of exact lengths, or the
  // shortest of the last list's.
  Span *best = nullptr;
  for (std::size_t list = pages; list < RunLists - 1 && !best; ++list)
    best = runs_[list];
  if (!best)
    for (Span *run = runs_[RunLists - 1]; run; run = run->next)
      if (run->pages >= pages && (!best || run->pages < best->pages))
        best = run;
  if (!best)
    return nullptr;
  removeRun(best);
  if (best->pages > pages) {
    Span *rest = newSpanStruct();
    rest->start = best->start + pages * PageSize;
    rest->pages = best->pages - pages;
    rest->needsZero = best->needsZero;
    rest->freedInCycle = best->freedInCycle;
    pointPagesAt(rest->start, rest->pages, rest);
    insertRun(rest);
    best->pages = pages;
  }
  return best;
}

Span *PageHeap::allocateSpan(std::size_t pages, unsigned sizeClass) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!base_.load(std::memory_order_relaxed))
    reserve();
  std::uintptr_t base = base_.load(std::memory_order_relaxed);
  Span *span = takeFreeRun(pages);
  bool needsZero = span && span->needsZero;
  if (!span) {
    std::size_t bytes = pages * PageSize;
    std::uintptr_t top = this->top();
    if (bytes / PageSize != pages || bytes > base + HeapBytes - top ||
        !commitUpTo(top + bytes))
      return nullptr;
    span = newSpanStruct();
    span->start = top;
    top_.store(top + bytes, std::memory_order_release);
  }
  span->initialise(span->start, pages, sizeClass);
  span->needsZero = needsZero;
  span->state.store(Span::State::InUse, std::memory_order_release);
  pointPagesAt(span->start, pages, span);
  if (listsSpansInUse_)
    inUse_.push_back(span);
  return span;
}

void PageHeap::returnSpanInUse(Span *span) {
  std::lock_guard<std::mutex> lock(mutex_);
  inUse_.push_back(span);
}

void PageHeap::freeSpan(Span *span, std::uint64_t cycle) {
  std::lock_guard<std::mutex> lock(mutex_);
  span->needsZero = true;
  span->freedInCycle = cycle;
  // Merge with free neighbours, so long runs form again. Only the pages
  // that join a run are pointed at it: a run's own already are (pointing
  // the whole run each time made freeing a heap span by span quadratic).
  Span *before = span->start > base_.load(std::memory_order_relaxed)
                     ? spanAtPage(span->start - PageSize)
                     : nullptr;
  if (before &&
      before->state.load(std::memory_order_relaxed) == Span::State::Free) {
    removeRun(before);
    pointPagesAt(span->start, span->pages, before);
    before->pages += span->pages;
    before->needsZero = true;
    before->freedInCycle = cycle;
    span->state.store(Span::State::Unused, std::memory_order_relaxed);
    span->next = unusedStructs_;
    unusedStructs_ = span;
    span = before;
  }
  Span *after = spanAtPage(span->start + span->pages * PageSize);
  if (after &&
      after->state.load(std::memory_order_relaxed) == Span::State::Free) {
    removeRun(after);
    pointPagesAt(after->start, after->pages, span);
    span->pages += after->pages;
    span->needsZero |= after->needsZero;
    after->state.store(Span::State::Unused, std::memory_order_relaxed);
    after->next = unusedStructs_;
    unusedStructs_ = after;
  }
  insertRun(span);
}

std::size_t PageHeap::scavenge(std::uint64_t cycle) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t released = 0;
  for (Span *list : runs_)
    for (Span *run = list; run; run = run->next) {
      if (!run->needsZero || run->freedInCycle + 1 >= cycle)
        continue;
      // The pages stay committed; the kernel takes their memory back and
      // hands out zero pages when they are touched again.
      os::release(reinterpret_cast<void *>(run->start), run->pages * PageSize);
      run->needsZero = false;
      released += run->pages * PageSize;
    }
  return released;
}

std::size_t PageHeap::committedBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return committed_ - base_.load(std::memory_order_relaxed);
}

std::size_t PageHeap::freeBytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return freePages_ * PageSize;
}

} // namespace gostack::heap
