// The GC heap's allocator: Go's size classes, per-thread spans, large
// objects, alignment, concurrent allocation, and running out of memory.

#include "heap/page_heap.h"
#include "heap/size_classes.h"

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
    // A fresh thread's first span of the 24-byte class.
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b) -
                  reinterpret_cast<std::uintptr_t>(a),
              24u);
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
        void *p = gostack::detail::gc_alloc(size, 8, nullptr);
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
}

// What the collector will read: the words of an object with a map are
// pointers exactly where the map says; every word of one without a map may
// be one.
TEST(Allocator, RecordsEachObjectsPointerWords) {
  const std::uint64_t map[2] = {1, 0b0110}; // words 1 and 2 of 4
  auto *precise = static_cast<char *>(gostack::detail::gc_alloc(32, 8, map));
  auto *unknown =
      static_cast<char *>(gostack::detail::gc_alloc(32, 8, nullptr));
  const gostack::heap::Span *span = gostack::heap::spanOfObject(precise);
  ASSERT_NE(span, nullptr);
  auto wordOf = [&](const char *p) {
    return (p - reinterpret_cast<char *>(span->start)) / 8;
  };
  EXPECT_FALSE(span->mayHoldPointer(wordOf(precise)));
  EXPECT_TRUE(span->mayHoldPointer(wordOf(precise + 8)));
  EXPECT_TRUE(span->mayHoldPointer(wordOf(precise + 16)));
  EXPECT_FALSE(span->mayHoldPointer(wordOf(precise + 24)));
  const gostack::heap::Span *other = gostack::heap::spanOfObject(unknown);
  for (int word = 0; word < 4; ++word)
    EXPECT_TRUE(other->mayHoldPointer(
        (unknown + 8 * word - reinterpret_cast<char *>(other->start)) / 8));
}

TEST(AllocatorDeathTest, RunningOutOfMemoryNamesTheSize) {
  EXPECT_EXIT(gostack::detail::gc_alloc(std::size_t(1) << 50, 8, nullptr),
              testing::ExitedWithCode(2),
              "fatal error: gostack: out of memory: cannot allocate "
              "1125899906842624-byte block");
}

} // namespace
