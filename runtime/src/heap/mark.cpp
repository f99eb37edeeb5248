//===-- heap/mark.cpp - Finding the reachable objects ---------------------===//

#include "heap/mark.h"
#include "core/sanitizers.h"
#include "heap/page_heap.h"

#include <algorithm>

namespace gostack::heap {
namespace {

// Roots are scanned word by word, redzones of AddressSanitizer included:
// reading them is what a conservative collector does.
GOSTACK_SCANS_FOREIGN_MEMORY std::uintptr_t loadWord(std::uintptr_t address) {
  return *reinterpret_cast<const std::uintptr_t *>(address);
}

} // namespace

Marker::Marker(PageHeap &heap)
    : heap_(heap), heapEnd_(heap.base() + HeapBytes),
      heapBytes_(heap.base() ? HeapBytes : 0) {}

// Racy while the program runs (the concurrent phase): the span's bits may
// change under it, which the final phase makes good (collector.cpp).
GOSTACK_SCANS_FOREIGN_MEMORY void Marker::markInHeap(std::uintptr_t value) {
  Span *span = heap_.spanOf(reinterpret_cast<const void *>(value));
  if (!span)
    return;
  std::uint32_t index = span->objectIndex(value);
  if (index < span->capacity)
    markObject(*span, index);
}

GOSTACK_SCANS_FOREIGN_MEMORY void Marker::markObject(Span &span,
                                                     std::uint32_t index) {
  // Most words that reach here point to objects marked already (a rescan
  // finds them again): a plain load keeps the line shared between markers,
  // where the atomic or would take it for writing.
  if (!span.racyIsAllocated(index) || span.markBits.atomicTest(index) ||
      span.markBits.atomicTestAndSet(index))
    return;
  markedBytes_ += span.objectSize;
  work_.push_back({&span, index});
}

// A word that points into the heap costs up to three cache misses before
// its mark bit is known -- its page's span entry, the span, the span's mark
// bits -- when the words point far apart, as an array of pointers in the C
// heap does. The words are taken a batch at a time and looked up a step at
// a time, each step's memory prefetched for the whole batch, so that the
// batch's misses overlap instead of following one another.
GOSTACK_SCANS_FOREIGN_MEMORY void Marker::scanRange(std::uintptr_t begin,
                                                    std::uintptr_t end) {
  constexpr int Batch = 16;
  struct Candidate {
    std::uintptr_t value;
    const std::atomic<Span *> *entry;
    Span *span;
  } batch[Batch];
  std::uintptr_t word = (begin + 7) & ~std::uintptr_t(7);
  while (word + 8 <= end) {
    int count = 0;
    for (; count < Batch && word + 8 <= end; word += 8) {
      std::uintptr_t value = loadWord(word);
      if (heapEnd_ - value - 1 >= heapBytes_)
        continue;
      const std::atomic<Span *> *entry = heap_.spanEntry(value); // not null
      __builtin_prefetch(entry);
      batch[count++] = {value, entry, nullptr};
    }
    for (int i = 0; i < count; ++i) {
      Span *span = batch[i].entry->load(std::memory_order_acquire);
      if (span) {
        __builtin_prefetch(span);
        __builtin_prefetch(&span->markBits);
      }
      batch[i].span = span;
    }
    for (int i = 0; i < count; ++i) {
      Span *span = batch[i].span;
      if (!span ||
          span->state.load(std::memory_order_acquire) != Span::State::InUse) {
        batch[i].span = nullptr;
        continue;
      }
      span->markBits.prefetch(span->objectIndex(batch[i].value));
    }
    for (int i = 0; i < count; ++i)
      if (Span *span = batch[i].span) {
        std::uint32_t index = span->objectIndex(batch[i].value);
        if (index < span->capacity)
          markObject(*span, index);
      }
  }
}

void Marker::scanStack(std::uintptr_t begin, std::uintptr_t end,
                       void *fakeStack) {
  if (!fakeStack) {
    scanRange(begin, end);
    return;
  }
  fakeFrames_.clear();
  fakeFrames_.push_back({begin, end});
  // Fake frames point to further fake frames; each is scanned once.
  for (std::size_t next = 0; next < fakeFrames_.size(); ++next) {
    Frame frame = fakeFrames_[next];
    for (std::uintptr_t word = (frame.begin + 7) & ~std::uintptr_t(7);
         word + 8 <= frame.end; word += 8) {
      std::uintptr_t value = loadWord(word);
      markPointer(value);
      Frame found;
      if (sanitizers::inFakeFrame(fakeStack, value, found.begin, found.end) &&
          !knownFakeFrame(found.begin))
        fakeFrames_.push_back(found);
    }
  }
}

bool Marker::knownFakeFrame(std::uintptr_t begin) {
  for (const Frame &frame : fakeFrames_)
    if (frame.begin == begin)
      return true;
  return false;
}

void Marker::scanObject(const MarkWork &work) {
  std::uintptr_t begin = work.span->objectAddress(work.index);
  scanObjectPart(*work.span, work.index, begin, begin + work.span->objectSize);
}

GOSTACK_SCANS_FOREIGN_MEMORY void Marker::scanObjectPart(const Span &span,
                                                         std::uint32_t index,
                                                         std::uintptr_t begin,
                                                         std::uintptr_t end) {
  if (!span.isPrecise(index)) {
    scanRange(begin, end);
    return;
  }
  // Only the words the type map names (bit i of pointerWords: word i of
  // the span).
  std::uintptr_t spanWords = (begin - span.start) / 8;
  std::size_t first = spanWords, last = (end - span.start) / 8;
  for (std::size_t word = first; word < last;) {
    std::size_t chunkEnd = std::min(last, (word / 64 + 1) * 64);
    std::uint64_t bits = span.pointerWords.word(word / 64) >> (word % 64);
    if (chunkEnd - word < 64)
      bits &= (std::uint64_t(1) << (chunkEnd - word)) - 1;
    for (; bits; bits &= bits - 1) {
      std::size_t pointerWord = word + __builtin_ctzll(bits);
      markPointer(loadWord(span.start + pointerWord * 8));
    }
    word = chunkEnd;
  }
}

GOSTACK_NO_FAKE_FRAME void Marker::rescanMarked(std::uintptr_t begin,
                                                std::uintptr_t end) {
  heap_.forEachSpanInUse(begin, end, [&](Span *span) {
    std::uintptr_t from = std::max(begin, span->start);
    std::uintptr_t to = std::min(
        end, span->start + std::uintptr_t(span->capacity) * span->objectSize);
    if (from >= to)
      return;
    for (std::uint32_t index = span->objectIndex(from);
         index < span->capacity && span->objectAddress(index) < to; ++index) {
      if (!span->markBits.racyTest(index))
        continue;
      std::uintptr_t objectBegin = span->objectAddress(index);
      scanObjectPart(*span, index, std::max(objectBegin, from),
                     std::min(objectBegin + span->objectSize, to));
    }
  });
}

std::uint64_t Marker::drain(WorkSink *sink, std::uint64_t budget) {
  if (!sink) {
    while (!work_.empty())
      scanObject(work_.pop_back());
    return 0;
  }
  // The sink hears from the marker now and then: often enough to keep
  // other markers busy, seldom enough to cost nothing.
  std::uint64_t scanned = 0, noted = 0;
  for (std::uint32_t objects = 1; !work_.empty(); ++objects) {
    MarkWork work = work_.pop_back();
    scanObject(work);
    scanned += work.span->objectSize;
    if (objects % 64)
      continue;
    sink->noteScanned(scanned - noted);
    noted = scanned;
    if (scanned >= budget)
      break;
    if (work_.size() > 1 && sink->wantsWork())
      sink->give(work_);
  }
  sink->noteScanned(scanned - noted);
  return scanned;
}

void Marker::keepDoomed(MmapVector<Doomed> &doomed) {
  std::size_t first = doomed.size();
  for (Span *span = heap_.takeSpansWithDestroyers(); span;
       span = span->nextWithDestroyers) {
    for (std::uint32_t index = 0; index < span->capacity; ++index) {
      Destroyer &destroy = span->destroyers[index];
      if (!destroy || !span->isAllocated(index) || span->markBits.test(index))
        continue;
      doomed.push_back(
          {reinterpret_cast<void *>(span->objectAddress(index)), destroy});
      destroy = nullptr;
    }
  }
  // Decided before any is marked: every object unreachable now is
  // destroyed in this round, whatever the others point to. Each is marked
  // where it is (no lookup), and what it points to through the work list.
  for (std::size_t entry = first; entry < doomed.size(); ++entry) {
    auto object = reinterpret_cast<std::uintptr_t>(doomed[entry].object);
    Span *span = heap_.spanOf(doomed[entry].object);
    std::uint32_t index = span->objectIndex(object);
    if (!span->markBits.testAndSet(index)) {
      markedBytes_ += span->objectSize;
      work_.push_back({span, index});
    }
  }
  drain();
}

} // namespace gostack::heap
