//===-- heap/page_heap.cpp - The GC heap's pages and spans ----------------===//

#include "heap/page_heap.h"

#include <gostack/gostack.h>

#include <new>
#include <sys/mman.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define GOSTACK_LSAN 1
#endif
#endif

namespace gostack::heap {
namespace {

// Address space only: a PROT_NONE reservation costs no memory.
constexpr std::size_t ReservedBytes = HeapBytes;
constexpr std::size_t CommitChunk = std::size_t(64) << 20;
constexpr std::size_t ReservedPages = ReservedBytes / PageSize;

void *mapOrDie(std::size_t bytes, int protection, const char *what) {
  void *p = mmap(nullptr, bytes, protection,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    detail::fatal(what);
  return p;
}

} // namespace

void PageHeap::reserve() {
  // The page table is touched only where spans are: untouched, it costs no
  // memory either.
  spans_ = static_cast<std::atomic<Span *> *>(mapOrDie(
      ReservedPages * sizeof(std::atomic<Span *>), PROT_READ | PROT_WRITE,
      "cannot reserve address space for the GC heap's page table"));
#ifdef GOSTACK_LSAN
  // Spans are reachable through the page table.
  __lsan_register_root_region(spans_,
                              ReservedPages * sizeof(std::atomic<Span *>));
#endif
  void *base = mapOrDie(ReservedBytes, PROT_NONE,
                        "cannot reserve address space for the GC heap");
  top_ = committed_ = reinterpret_cast<std::uintptr_t>(base);
  base_.store(top_, std::memory_order_release);
}

bool PageHeap::commitUpTo(std::uintptr_t end) {
  if (end <= committed_)
    return true;
  std::uintptr_t base = base_.load(std::memory_order_relaxed);
  std::uintptr_t newEnd = (end + CommitChunk - 1) & ~(CommitChunk - 1);
  if (newEnd > base + ReservedBytes)
    newEnd = base + ReservedBytes;
  if (mprotect(reinterpret_cast<void *>(committed_), newEnd - committed_,
               PROT_READ | PROT_WRITE) != 0)
    return false;
#ifdef GOSTACK_LSAN
  // What GC objects point to (a moved std::string's buffer) is reachable:
  // LeakSanitizer must scan the heap as it scans globals.
  __lsan_register_root_region(reinterpret_cast<void *>(committed_),
                              newEnd - committed_);
#endif
  committed_ = newEnd;
  return true;
}

Span *PageHeap::allocateSpan(std::size_t pages, unsigned sizeClass) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!base_.load(std::memory_order_relaxed))
    reserve();
  std::uintptr_t base = base_.load(std::memory_order_relaxed);
  std::size_t bytes = pages * PageSize;
  if (bytes / PageSize != pages || bytes > base + ReservedBytes - top_ ||
      !commitUpTo(top_ + bytes))
    return nullptr;
  auto *span = new Span{top_, pages, sizeClass, 0, 0, 0, {}, {}};
  if (sizeClass) {
    span->objectSize = heap::sizeClass(sizeClass).objectSize;
    span->capacity = static_cast<std::uint32_t>(bytes / span->objectSize);
  } else {
    span->objectSize = bytes;
    span->capacity = 1;
  }
  span->pointerWords.resize((bytes / 8 + 63) / 64);
  span->preciseObjects.resize((span->capacity + 63) / 64);
  std::size_t first = (top_ - base) / PageSize;
  for (std::size_t page = first; page < first + pages; ++page)
    spans_[page].store(span, std::memory_order_release);
  top_ += bytes;
  return span;
}

void Span::recordLayout(std::uint32_t index, std::size_t size,
                        const std::uint64_t *map) {
  if (!map || map[0] != 1)
    return;
  preciseObjects[index / 64] |= std::uint64_t(1) << (index % 64);
  std::size_t firstWord = index * (objectSize / 8);
  std::size_t mapWords = 1 + (size / 8 + 63) / 64;
  for (std::size_t element = 1; element < mapWords; ++element)
    for (std::uint64_t bits = map[element]; bits; bits &= bits - 1) {
      std::size_t word = firstWord + (element - 1) * 64 +
                         static_cast<std::size_t>(__builtin_ctzll(bits));
      pointerWords[word / 64] |= std::uint64_t(1) << (word % 64);
    }
}

bool Span::mayHoldPointer(std::size_t word) const {
  std::size_t index = word * 8 / objectSize;
  if (!(preciseObjects[index / 64] >> (index % 64) & 1))
    return true;
  return pointerWords[word / 64] >> (word % 64) & 1;
}

const Span *PageHeap::spanOf(const void *address) const {
  auto p = reinterpret_cast<std::uintptr_t>(address);
  std::uintptr_t base = base_.load(std::memory_order_acquire);
  if (!base || p < base || p >= base + ReservedBytes)
    return nullptr;
  return spans_[(p - base) / PageSize].load(std::memory_order_acquire);
}

} // namespace gostack::heap
