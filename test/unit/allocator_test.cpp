// The GC heap's allocator: Go's size classes, per-thread spans, large
// objects, alignment, concurrent allocation, allocation after a sweep, and
// running out of memory.

#include "heap/page_heap.h"
#include "heap/size_classes.h"
#include "heap/span.h"

#include <gostack/gostack.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

namespace {

using gostack::heap::MaxSmallSize;
using gostack::heap::NumSizeClasses;
using gostack::heap::PageSize;
using gostack::heap::sizeClass;
using gostack::heap::sizeClassFor;

TEST(SizeClasses, EachSizeGetsTheSmallestClassThatHoldsIt) {
  for (std::size_t size = 1; size <= MaxSmallSize; ++size) {
    unsigned cls = sizeClassFor(size);
    ASSERT_GT(cls, 0u) << size;
    ASSERT_GE(sizeClass(cls).objectSize, size);
    ASSERT_LT(sizeClass(cls - 1).objectSize, size) << size;
  }
  EXPECT_EQ(sizeClassFor(MaxSmallSize + 1), 0u);
}

TEST(SizeClasses, SpansWasteAtMostAnEighth) {
  for (unsigned cls = 1; cls < NumSizeClasses; ++cls) {
    std::size_t bytes = sizeClass(cls).spanPages * PageSize;
    EXPECT_LE(bytes % sizeClass(cls).objectSize, bytes / 8) << cls;
    EXPECT_GT(sizeClass(cls).objectSize, sizeClass(cls - 1).objectSize);
  }
}

struct ThreeWords {
  std::uint64_t words[3];
};

TEST(Allocator, ObjectsOfAClassComeOneAfterAnotherFromTheThreadsSpan) {
  std::thread([] {
    auto *a = gostack::go_new<ThreeWords>();
    auto *b = gostack::go_new<ThreeWords>();
    // In address order from the thread's span of the 24-byte class (the
    // next free object: adjacent in a fresh span).
    auto distance = reinterpret_cast<std::uintptr_t>(b) -
                    reinterpret_cast<std::uintptr_t>(a);
    EXPECT_EQ(gostack::heap::pageHeap().spanOf(a),
              gostack::heap::pageHeap().spanOf(b));
    EXPECT_GT(b, a);
    EXPECT_EQ(distance % 24, 0u);
  }).join();
}

struct Large {
  char bytes[100 * 1024];
};

TEST(Allocator, LargeObjectsGetPagesOfTheirOwn) {
  Large *large = gostack::go_new<Large>();
  auto address = reinterpret_cast<std::uintptr_t>(large);
  EXPECT_EQ(address % PageSize, 0u);
  EXPECT_TRUE(gostack::in_gc_heap(&large->bytes[sizeof(Large) - 1]));
  EXPECT_EQ(large->bytes[12345], 0); // fresh memory is zero
}

struct alignas(64) CacheLine {
  char bytes[80];
};

TEST(Allocator, OverAlignedObjectsAreAligned) {
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(gostack::go_new<CacheLine>()) %
                  64,
              0u);
}

// Each thread chains its objects (the first word points to the previous
// one) from a global, so that collections on the way free none of them.
void *volatile chains[8];

TEST(Allocator, ThreadsAllocateDistinctObjectsAndEveryOneIsCounted) {
  constexpr int Threads = 8, PerThread = 20000;
  std::uint64_t before = gostack::read_mem_stats().mallocs;
  std::vector<std::vector<std::pair<std::uintptr_t, std::size_t>>> objects(
      Threads);
  std::vector<std::thread> threads;
  for (int t = 0; t < Threads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < PerThread; ++i) {
        std::size_t size = 8 + (i * 24 + t * 8) % 3000;
        void *p = gostack::detail::gc_alloc(size, 8, nullptr, nullptr);
        *static_cast<void **>(p) = chains[t];
        chains[t] = p;
        objects[t].emplace_back(reinterpret_cast<std::uintptr_t>(p), size);
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  // The threads have exited: their counts stay.
  EXPECT_EQ(gostack::read_mem_stats().mallocs - before,
            std::uint64_t(Threads) * PerThread);
  std::vector<std::pair<std::uintptr_t, std::size_t>> all;
  for (auto &perThread : objects)
    all.insert(all.end(), perThread.begin(), perThread.end());
  std::sort(all.begin(), all.end());
  for (std::size_t i = 1; i < all.size(); ++i)
    ASSERT_GE(all[i].first, all[i - 1].first + all[i - 1].second);
  std::fill(std::begin(chains), std::end(chains), nullptr);
}

// What the collector reads: the words of an object with a map are pointers
// exactly where the map says; every word of one without a map may be one.
bool mayHoldPointer(const char *word) {
  const gostack::heap::Span *span = gostack::heap::pageHeap().spanOf(word);
  auto address = reinterpret_cast<std::uintptr_t>(word);
  if (!span->isPrecise(span->objectIndex(address)))
    return true;
  return span->pointerWords.test((address - span->start) / 8);
}

TEST(Allocator, RecordsEachObjectsPointerWords) {
  const std::uint64_t map[2] = {1, 0b0110}; // words 1 and 2 of 4
  auto *precise =
      static_cast<char *>(gostack::detail::gc_alloc(32, 8, map, nullptr));
  auto *unknown =
      static_cast<char *>(gostack::detail::gc_alloc(32, 8, nullptr, nullptr));
  EXPECT_FALSE(mayHoldPointer(precise));
  EXPECT_TRUE(mayHoldPointer(precise + 8));
  EXPECT_TRUE(mayHoldPointer(precise + 16));
  EXPECT_FALSE(mayHoldPointer(precise + 24));
  for (int word = 0; word < 4; ++word)
    EXPECT_TRUE(mayHoldPointer(unknown + 8 * word));
}

// The collector finds an object from any address inside it without a
// division: the multiplier must be exact for every offset of every class.
TEST(Span, ObjectIndexIsExactForEveryOffset) {
  for (unsigned cls = 1; cls < NumSizeClasses; ++cls) {
    gostack::heap::Span span;
    span.initialise(0, sizeClass(cls).spanPages, cls);
    for (std::uintptr_t offset = 0; offset < span.pages * PageSize; ++offset)
      ASSERT_EQ(span.objectIndex(offset), offset / span.objectSize)
          << "class " << cls << " offset " << offset;
  }
}

TEST(Span, HandsOutTheObjectsTheLastSweepLeftFree) {
  gostack::heap::Span span;
  span.initialise(0, 1, /*8-byte class=*/1);
  // Keep objects 0, 2, 63, 64 and 1000 to 1023 alive through a sweep.
  std::vector<std::uint32_t> kept = {0, 2, 63, 64};
  for (std::uint32_t index = 1000; index < 1024; ++index)
    kept.push_back(index);
  while (span.takeFreeObject() != span.capacity) {
  }
  for (std::uint32_t index : kept)
    span.markBits.set(index);
  EXPECT_EQ(span.sweep(), 1024u - kept.size());
  EXPECT_EQ(span.liveObjects, kept.size());
  std::vector<std::uint32_t> handedOut;
  for (std::uint32_t index; (index = span.takeFreeObject()) != span.capacity;)
    handedOut.push_back(index);
  ASSERT_EQ(handedOut.size(), 1024u - kept.size());
  std::uint32_t previous = 0;
  for (std::uint32_t index : handedOut) {
    EXPECT_EQ(std::count(kept.begin(), kept.end(), index), 0) << index;
    EXPECT_TRUE(index == handedOut.front() || index > previous);
    previous = index;
  }
  EXPECT_TRUE(span.needsZero);
}

TEST(AllocatorDeathTest, RunningOutOfMemoryNamesTheSize) {
  EXPECT_EXIT(
      gostack::detail::gc_alloc(std::size_t(1) << 50, 8, nullptr, nullptr),
      testing::ExitedWithCode(2),
      "fatal error: gostack: out of memory: cannot allocate "
      "1125899906842624-byte block");
}

} // namespace
