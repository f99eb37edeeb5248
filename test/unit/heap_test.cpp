// The GC heap as the rest of the runtime sees it: go_new allocates,
// constructs and counts, in_gc_heap recognises its memory, and concurrent
// allocation is safe.

#include <gostack/gostack.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Point {
  int x, y;
};

struct Constructed {
  std::string name;
  explicit Constructed(std::string n) : name(std::move(n)) {}
};

TEST(Heap, GoNewCountsEveryAllocation) {
  gostack::mem_stats before = gostack::read_mem_stats();
  for (int i = 0; i < 10; ++i)
    gostack::go_new<int>(i);
  gostack::mem_stats after = gostack::read_mem_stats();
  // Bytes are counted as allocated: an int takes the 8-byte size class.
  EXPECT_EQ(after.mallocs - before.mallocs, 10u);
  EXPECT_EQ(after.total_alloc - before.total_alloc, 10 * 8u);
  EXPECT_EQ(after.heap_alloc - before.heap_alloc, 10 * 8u);
}

TEST(Heap, GoNewValueInitialisesWithoutArguments) {
  Point *p = gostack::go_new<Point>();
  EXPECT_EQ(p->x, 0);
  EXPECT_EQ(p->y, 0);
}

TEST(Heap, GoNewConstructsAggregatesAndClasses) {
  Point *p = gostack::go_new<Point>(3, 4);
  EXPECT_EQ(p->x, 3);
  EXPECT_EQ(p->y, 4);
  Constructed *c = gostack::go_new<Constructed>("gopher");
  EXPECT_EQ(c->name, "gopher");
}

TEST(Heap, GoNewRespectsAlignment) {
  struct alignas(64) Line {
    char bytes[64];
  };
  for (int i = 0; i < 4; ++i) {
    gostack::go_new<char>();
    auto address = reinterpret_cast<std::uintptr_t>(gostack::go_new<Line>());
    EXPECT_EQ(address % 64, 0u);
  }
}

TEST(Heap, InGcHeapKnowsItsObjects) {
  int *object = gostack::go_new<int>(1);
  int local = 0;
  static int global;
  auto *malloced = new int(2);
  EXPECT_TRUE(gostack::in_gc_heap(object));
  EXPECT_FALSE(gostack::in_gc_heap(&local));
  EXPECT_FALSE(gostack::in_gc_heap(&global));
  EXPECT_FALSE(gostack::in_gc_heap(malloced));
  EXPECT_FALSE(gostack::in_gc_heap(nullptr));
  delete malloced;
}

TEST(Heap, DistinctObjectsDoNotOverlap) {
  char *a = gostack::go_new<char>('a');
  char *b = gostack::go_new<char>('b');
  EXPECT_NE(a, b);
  EXPECT_EQ(*a, 'a');
  EXPECT_EQ(*b, 'b');
}

TEST(Heap, ConcurrentAllocationFromThreads) {
  constexpr int Threads = 4, PerThread = 10000;
  gostack::mem_stats before = gostack::read_mem_stats();
  std::vector<std::thread> threads;
  std::vector<std::vector<long *>> objects(Threads);
  for (int t = 0; t < Threads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < PerThread; ++i)
        objects[t].push_back(gostack::go_new<long>(t * PerThread + i));
    });
  for (std::thread &thread : threads)
    thread.join();
  for (int t = 0; t < Threads; ++t)
    for (int i = 0; i < PerThread; ++i)
      ASSERT_EQ(*objects[t][i], t * PerThread + i);
  EXPECT_EQ(gostack::read_mem_stats().mallocs - before.mallocs,
            std::uint64_t(Threads) * PerThread);
}

} // namespace
