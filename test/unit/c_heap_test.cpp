// The C heap: every allocation function the runtime provides (malloc, free,
// calloc, realloc, the aligned forms, malloc_usable_size, every operator new
// and delete) behaves as the C and C++ standards say, across threads and
// thread exits. Under a sanitizer the sanitizer's own functions run (the
// runtime tracks their blocks instead), and the same tests hold.

#include <gostack/gostack.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <new>
#include <thread>
#include <vector>

namespace {

// AddressSanitizer's allocator stops the program where malloc would fail
// (unless allocator_may_return_null=1): those checks are for the runtime's.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_ALLOCATOR 1
#endif
#endif
#ifndef SANITIZER_ALLOCATOR
#define SANITIZER_ALLOCATOR 0
#endif

bool alignedTo(const void *p, std::size_t align) {
  return reinterpret_cast<std::uintptr_t>(p) % align == 0;
}

// Keeps the optimiser from removing allocations.
void *volatile sink;

TEST(CHeap, MallocGivesDistinctAlignedWritableBlocks) {
  std::vector<void *> blocks;
  for (std::size_t size :
       {0, 1, 7, 8, 16, 24, 100, 1000, 4096, 32768, 32769, 65536, 1 << 20}) {
    void *block = std::malloc(size);
    ASSERT_NE(block, nullptr) << size;
    EXPECT_TRUE(alignedTo(block, 16)) << size;
    EXPECT_GE(malloc_usable_size(block), size);
    std::memset(block, 0xab, size);
    blocks.push_back(block);
  }
  for (std::size_t i = 0; i < blocks.size(); ++i)
    for (std::size_t j = i + 1; j < blocks.size(); ++j)
      EXPECT_NE(blocks[i], blocks[j]);
  for (void *block : blocks)
    std::free(block);
}

TEST(CHeap, FreeOfNullDoesNothing) {
  std::free(nullptr);
  ::operator delete(nullptr);
  ::operator delete[](nullptr);
}

TEST(CHeap, CallocZeroesAndChecksOverflow) {
  // Dirty some memory first, so a reused block would show it.
  for (int i = 0; i < 100; ++i) {
    void *dirty = std::malloc(256);
    std::memset(dirty, 0xff, 256);
    std::free(dirty);
  }
  auto *zeroes = static_cast<unsigned char *>(std::calloc(32, 8));
  ASSERT_NE(zeroes, nullptr);
  for (int i = 0; i < 256; ++i)
    EXPECT_EQ(zeroes[i], 0) << i;
  std::free(zeroes);
  if (SANITIZER_ALLOCATOR)
    GTEST_SKIP() << "the sanitizer's calloc stops on overflow";
  errno = 0;
  sink = std::calloc(SIZE_MAX / 2, 4);
  EXPECT_EQ(sink, nullptr);
  EXPECT_EQ(errno, ENOMEM);
}

TEST(CHeap, ReallocKeepsContentsWhenGrowingAndShrinking) {
  auto *block = static_cast<unsigned char *>(std::realloc(nullptr, 10));
  ASSERT_NE(block, nullptr);
  for (int i = 0; i < 10; ++i)
    block[i] = static_cast<unsigned char>(i);
  for (std::size_t size : {100, 5000, 100000, 50, 9}) {
    block = static_cast<unsigned char *>(std::realloc(block, size));
    ASSERT_NE(block, nullptr) << size;
    for (int i = 0; i < 9; ++i)
      ASSERT_EQ(block[i], i) << size;
    EXPECT_GE(malloc_usable_size(block), size);
  }
  EXPECT_EQ(std::realloc(block, 0), nullptr); // glibc's: frees the block
}

TEST(CHeap, ReallocMovesABlockHoldingTheOnlyPointerToAGCObject) {
  auto **holder = static_cast<long **>(std::malloc(sizeof(long *)));
  *holder = gostack::go_new<long>(42);
  void *before = holder;
  holder = static_cast<long **>(std::realloc(holder, 1 << 16));
  ASSERT_NE(holder, nullptr);
  EXPECT_NE(static_cast<void *>(holder), before);
  for (int i = 0; i < 10000; ++i)
    sink = gostack::go_new<long>(-1);
  gostack::gc();
  gostack::gc();
  EXPECT_EQ(**holder, 42);
  std::free(holder);
}

TEST(CHeap, AlignedFormsAlign) {
  for (std::size_t align : {16, 32, 64, 256, 4096, 8192, 65536}) {
    void *a = aligned_alloc(align, 3 * align);
    ASSERT_NE(a, nullptr) << align;
    EXPECT_TRUE(alignedTo(a, align)) << align;
    void *b = nullptr;
    ASSERT_EQ(posix_memalign(&b, align, 100), 0) << align;
    EXPECT_TRUE(alignedTo(b, align)) << align;
    void *c = memalign(align, 1);
    EXPECT_TRUE(alignedTo(c, align)) << align;
    std::memset(a, 1, 3 * align);
    std::memset(b, 1, 100);
    std::free(a);
    std::free(b);
    std::free(c);
  }
  void *bad = nullptr;
  if (!SANITIZER_ALLOCATOR)
    EXPECT_EQ(posix_memalign(&bad, 24, 8), EINVAL);
  void *page = valloc(10);
  EXPECT_TRUE(alignedTo(page, 4096));
  std::free(page);
  void *pages = pvalloc(5000);
  EXPECT_TRUE(alignedTo(pages, 4096));
  EXPECT_GE(malloc_usable_size(pages), 8192u);
  std::free(pages);
}

struct alignas(128) Overaligned {
  char bytes[200];
};

TEST(CHeap, EveryOperatorNewAndDelete) {
  auto *one = new long(1);
  auto *many = new long[100]();
  auto *none = new (std::nothrow) long(2);
  auto *noneMany = new (std::nothrow) long[10];
  auto *aligned = new Overaligned;
  auto *alignedMany = new Overaligned[3];
  EXPECT_TRUE(alignedTo(aligned, 128));
  EXPECT_TRUE(alignedTo(alignedMany, 128));
  void *raw = ::operator new(64, std::align_val_t(256), std::nothrow);
  EXPECT_TRUE(alignedTo(raw, 256));
  EXPECT_EQ(many[99], 0);
  delete one;
  delete[] many;
  delete none;
  delete[] noneMany;
  delete aligned;
  delete[] alignedMany;
  ::operator delete(raw, std::align_val_t(256), std::nothrow);
  ::operator delete(::operator new(10), 10);
  ::operator delete[](::operator new[](10), 10);
  ::operator delete(::operator new(64, std::align_val_t(64)), 64,
                    std::align_val_t(64));
}

TEST(CHeap, NewThrowsBadAllocAndNothrowGivesNull) {
  if (SANITIZER_ALLOCATOR)
    GTEST_SKIP() << "the sanitizer's allocator stops where memory runs out";
  EXPECT_THROW(sink = ::operator new(std::size_t(1) << 62), std::bad_alloc);
  EXPECT_EQ(::operator new(std::size_t(1) << 62, std::nothrow), nullptr);
  errno = 0;
  EXPECT_EQ(std::malloc(std::size_t(1) << 62), nullptr);
  EXPECT_EQ(errno, ENOMEM);
}

TEST(CHeap, BlocksFreedByOtherThreadsAndAfterTheirOwnerExited) {
  // A producer allocates, consumers free; then the producer exits with
  // blocks still allocated, which others free and reuse.
  constexpr int Count = 20000;
  std::vector<char *> blocks(Count);
  std::thread producer([&] {
    for (int i = 0; i < Count; ++i) {
      blocks[i] = static_cast<char *>(std::malloc(16 + i % 200));
      blocks[i][0] = static_cast<char>(i);
    }
  });
  producer.join();
  std::atomic<int> wrong{0};
  std::vector<std::thread> consumers;
  for (int t = 0; t < 4; ++t)
    consumers.emplace_back([&, t] {
      for (int i = t; i < Count; i += 4) {
        wrong += blocks[i][0] != static_cast<char>(i);
        std::free(blocks[i]);
      }
      for (int i = 0; i < 10000; ++i)
        std::free(std::malloc(16 + i % 200));
    });
  for (std::thread &consumer : consumers)
    consumer.join();
  EXPECT_EQ(wrong, 0);
}

TEST(CHeap, ManyThreadsAllocateAndFreeConcurrently) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      std::vector<long *> kept;
      for (int i = 0; i < 50000; ++i) {
        auto *block = static_cast<long *>(std::malloc(8 * (1 + i % 64)));
        block[0] = t * 1000000 + i;
        kept.push_back(block);
        if (kept.size() > 100) {
          long *old = kept[i % kept.size()];
          kept[i % kept.size()] = kept.back();
          kept.pop_back();
          wrong += old[0] / 1000000 != t;
          std::free(old);
        }
      }
      for (long *block : kept)
        std::free(block);
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(wrong, 0);
}

} // namespace
