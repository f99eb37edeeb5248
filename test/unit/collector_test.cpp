// The collector: what is unreachable is reclaimed (cycles included) and its
// destructor runs exactly once; what is reachable -- from a global, through
// an interior pointer, from another thread's stack, from an object waiting
// for its destructor -- survives; threads allocate while others collect;
// memory stays bounded however much is allocated.
//
// Stacks are scanned conservatively: garbage is made on threads that have
// exited, so that no stale word on a live stack can keep it.

#include <gostack/gostack.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

constexpr int MaxIds = 1 << 16;
std::atomic<int> destroyedTimes[MaxIds];
std::atomic<int> nextId{0};

/// An object that counts its destructions by id.
struct Tracked {
  int id = nextId.fetch_add(1);
  std::uint64_t magic = 0x60574c4b;
  Tracked *other = nullptr;
  char payload[40] = {};
  ~Tracked() {
    destroyedTimes[id].fetch_add(1);
    magic = 0;
  }
};

int destroyed(int firstId, int lastId) {
  int count = 0;
  for (int id = firstId; id < lastId; ++id)
    count += destroyedTimes[id].load();
  return count;
}

template <class F> void onAnExitedThread(F f) { std::thread(f).join(); }

TEST(Collector, UnreachableCyclesAreCollectedAndDestroyedOnce) {
  constexpr int Pairs = 1000;
  int first = nextId.load();
  onAnExitedThread([] {
    for (int i = 0; i < Pairs; ++i) {
      Tracked *a = gostack::go_new<Tracked>();
      Tracked *b = gostack::go_new<Tracked>();
      a->other = b;
      b->other = a;
    }
  });
  int last = nextId.load();
  gostack::mem_stats before = gostack::read_mem_stats();
  gostack::gc(); // destroys them
  gostack::gc(); // frees them
  gostack::gc();
  gostack::mem_stats after = gostack::read_mem_stats();
  EXPECT_EQ(destroyed(first, last), 2 * Pairs);
  for (int id = first; id < last; ++id)
    ASSERT_EQ(destroyedTimes[id].load(), 1) << id;
  // A stale word on a live stack may keep an object or two: the stacks are
  // scanned conservatively.
  EXPECT_GE(after.frees - before.frees, 2u * Pairs - 4);
  EXPECT_GE(after.num_gc - before.num_gc, 3u);
  EXPECT_LE(after.heap_alloc + (2 * Pairs - 4) * sizeof(Tracked),
            before.heap_alloc);
}

Tracked *volatile globalRoot;
char *volatile interiorRoot;
int interiorId;

Tracked *interiorObject() {
  return reinterpret_cast<Tracked *>(interiorRoot - offsetof(Tracked, payload) -
                                     17);
}

TEST(Collector, AGlobalAndAnInteriorPointerKeepTheirObjects) {
  // Only exited threads touch the objects: no stale copy on a live stack.
  onAnExitedThread([] {
    globalRoot = gostack::go_new<Tracked>();
    globalRoot->other = gostack::go_new<Tracked>(); // reachable through it
    interiorRoot = &gostack::go_new<Tracked>()->payload[17];
    interiorId = interiorObject()->id;
  });
  for (int i = 0; i < 3; ++i)
    gostack::gc();
  onAnExitedThread([] {
    EXPECT_EQ(globalRoot->magic, 0x60574c4bu);
    EXPECT_EQ(globalRoot->other->magic, 0x60574c4bu);
    EXPECT_EQ(destroyedTimes[globalRoot->other->id].load(), 0);
    EXPECT_EQ(interiorObject()->magic, 0x60574c4bu);
    EXPECT_EQ(destroyedTimes[interiorId].load(), 0);
    // Their memory is not handed out again.
    for (int i = 0; i < 10000; ++i) {
      auto *fresh = gostack::go_new<Tracked>();
      ASSERT_NE(fresh, globalRoot);
      ASSERT_NE(fresh, interiorObject());
    }
    interiorRoot = nullptr;
    globalRoot = nullptr;
  });
  gostack::gc();
  EXPECT_EQ(destroyedTimes[interiorId].load(), 1);
}

TEST(Collector, AnotherThreadsStackKeepsItsObject) {
  std::atomic<int> phase{0};
  std::atomic<int> seenMagic{0};
  int id = -1;
  std::thread holder([&] {
    // The only pointer lives in this thread's frame while it waits.
    Tracked *volatile mine = gostack::go_new<Tracked>();
    id = mine->id;
    phase = 1;
    while (phase.load() != 2)
      std::this_thread::yield();
    seenMagic = mine->magic == 0x60574c4b;
  });
  while (phase.load() != 1)
    std::this_thread::yield();
  for (int i = 0; i < 3; ++i)
    gostack::gc();
  EXPECT_EQ(destroyedTimes[id].load(), 0);
  phase = 2;
  holder.join();
  EXPECT_TRUE(seenMagic.load());
  gostack::gc();
  EXPECT_EQ(destroyedTimes[id].load(), 1);
}

/// Its destructor allocates and makes itself reachable again. Its child dies
/// with it, so is destroyed in the same round (in no particular order); its
/// memory stays as long as something reaches it.
struct Resurrecting {
  static inline Resurrecting *volatile saved = nullptr;
  static inline std::atomic<int> destructions{0};
  Tracked *child = gostack::go_new<Tracked>();
  ~Resurrecting() {
    destructions++;
    gostack::go_new<Tracked>()->other = child;
    saved = this;
  }
};

TEST(Collector, ADestructorMayAllocateAndResurrect) {
  onAnExitedThread([] {
    for (int i = 0; i < 100; ++i)
      gostack::go_new<Resurrecting>();
  });
  gostack::gc();
  EXPECT_EQ(Resurrecting::destructions.load(), 100);
  Resurrecting *last = Resurrecting::saved;
  // Reachable again, so its memory and its child's stay.
  for (int i = 0; i < 3; ++i)
    gostack::gc();
  EXPECT_EQ(Resurrecting::saved, last);
  EXPECT_EQ(destroyedTimes[last->child->id].load(), 1); // never twice
  EXPECT_EQ(Resurrecting::destructions.load(), 100);    // never twice
  for (int i = 0; i < 10000; ++i) {
    void *fresh = gostack::go_new<Tracked>();
    ASSERT_NE(fresh, static_cast<void *>(last));
    ASSERT_NE(fresh, static_cast<void *>(last->child));
  }
  Resurrecting::saved = nullptr;
}

struct ThrowingConstructor {
  static inline std::atomic<int> destructions{0};
  explicit ThrowingConstructor(bool fail) {
    if (fail)
      throw std::runtime_error("no");
  }
  ~ThrowingConstructor() { destructions++; }
};

TEST(Collector, AnObjectWhoseConstructorThrewIsNotDestroyed) {
  onAnExitedThread([] {
    EXPECT_THROW(gostack::go_new<ThrowingConstructor>(true),
                 std::runtime_error);
    gostack::go_new<ThrowingConstructor>(false);
  });
  gostack::gc();
  EXPECT_EQ(ThrowingConstructor::destructions.load(), 1);
}

struct Node {
  Node *next;
  std::uint64_t value;
};

TEST(Collector, ThreadsAllocateWhileOthersCollect) {
  constexpr int Threads = 6, Lists = 50, Length = 2000;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < Threads; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < Lists; ++round) {
        // One list alive at a time, on this stack; the rest is garbage.
        Node *head = nullptr;
        for (int i = 0; i < Length; ++i)
          head = gostack::go_new<Node>(head, std::uint64_t(t) << 32 | i);
        if (t == 0 && round % 10 == 0)
          gostack::gc();
        for (int i = Length - 1; i >= 0; --i, head = head->next)
          if (!head || head->value != (std::uint64_t(t) << 32 | i))
            failures++;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(gostack::read_mem_stats().frees, 0u);
}

// Concurrent marking: threads move the only pointer to a list between a
// malloc'd table, GC objects and their stacks while the collector marks;
// every list must stay whole.
TEST(Collector, ThreadsRewireListsWhileTheCollectorMarks) {
  constexpr int Threads = 4, Slots = 256, Rounds = 20000, Length = 8;
  struct Cell {
    Node *list;
    Cell *hidden; // where another slot's cell hides for a while
  };
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  auto check = [&](const Node *list, std::uint64_t tag) {
    int length = 0;
    for (; list; list = list->next, ++length)
      if (list->value != tag)
        failures++;
    if (length != Length)
      failures++;
  };
  for (int t = 0; t < Threads; ++t)
    threads.emplace_back([&, t] {
      std::vector<Cell *> table(Slots);
      auto makeCell = [](std::uint64_t tag) {
        Node *list = nullptr;
        for (int i = 0; i < Length; ++i)
          list = gostack::go_new<Node>(list, tag);
        return gostack::go_new<Cell>(list, nullptr);
      };
      for (int slot = 0; slot < Slots; ++slot)
        table[slot] = makeCell(std::uint64_t(slot));
      unsigned seed = 7u + unsigned(t);
      for (int round = 0; round < Rounds; ++round) {
        seed = seed * 1103515245u + 12345u;
        int slot = int(seed >> 8) % Slots, other = int(seed >> 18) % Slots;
        Cell *cell = table[slot];
        if (!cell)
          continue;
        check(cell->list, std::uint64_t(slot));
        if (seed % 3 == 0) {
          table[slot] = makeCell(std::uint64_t(slot));
        } else if (slot != other && table[other]) {
          // The only pointer to the other cell into this one, then back
          // through a malloc'd block.
          cell->hidden = table[other];
          table[other] = nullptr;
          for (int i = 0; i < 16; ++i)
            gostack::go_new<Node>(nullptr, 0); // garbage meanwhile
          auto *block = new Cell *(cell->hidden);
          cell->hidden = nullptr;
          table[other] = *block;
          delete block;
        }
      }
      for (int slot = 0; slot < Slots; ++slot)
        check(table[slot]->list, std::uint64_t(slot));
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(gostack::read_mem_stats().num_gc, 2u);
}

std::size_t residentBytes() {
  long pages = 0, resident = 0;
  FILE *statm = std::fopen("/proc/self/statm", "r");
  if (!statm || std::fscanf(statm, "%ld %ld", &pages, &resident) != 2)
    resident = 0;
  if (statm)
    std::fclose(statm);
  return static_cast<std::size_t>(resident) * sysconf(_SC_PAGESIZE);
}

TEST(Collector, AllocatingFarMoreThanTheHeapKeepsMemoryBounded) {
  // 4 GiB in all, of which at most 64 KiB is reachable at any moment, in
  // sizes from 16 bytes to 64 KiB.
  constexpr std::size_t Total = std::size_t(4) << 30;
  std::size_t before = residentBytes();
  std::size_t peak = 0;
  onAnExitedThread([&] {
    Node *ring[64] = {};
    std::size_t allocated = 0;
    for (std::size_t i = 0; allocated < Total; ++i) {
      std::size_t size = std::size_t(16) << (i % 13);
      void *object = gostack::detail::gc_alloc(size, 8, nullptr, nullptr);
      std::memset(object, 0xab, 16);
      ring[i % 64] = static_cast<Node *>(object);
      allocated += size;
      if (i % 100000 == 0)
        peak = std::max(peak, residentBytes());
    }
  });
  gostack::mem_stats stats = gostack::read_mem_stats();
  std::fprintf(
      stderr, "resident before %zu MiB, peak %zu MiB; %llu collections\n",
      before >> 20, peak >> 20, static_cast<unsigned long long>(stats.num_gc));
  EXPECT_GT(stats.num_gc, 10u);
  EXPECT_LT(peak, before + (std::size_t(256) << 20));
}

/// The objects of a big heap, each held only from here (malloc'd: the C
/// heap is scanned), not linked to one another: a stale word on some stack
/// that equals one object's address -- which a conservative scan may find
/// -- keeps that object, not the whole heap (with a linked list it kept
/// 10-100% of it in about one run in ten under ASan).
void *volatile *bigHeap;

TEST(Collector, GivesTheMemoryOfAFreedHeapBackToTheKernel) {
  constexpr std::size_t Bytes = std::size_t(256) << 20;
  constexpr std::size_t Objects = Bytes / 1024;
  bigHeap = static_cast<void *volatile *>(std::calloc(Objects, sizeof(void *)));
  onAnExitedThread([] {
    for (std::size_t i = 0; i < Objects; ++i) {
      void *object = gostack::detail::gc_alloc(1024, 8, nullptr, nullptr);
      std::memset(object, 1, 1024); // resident
      bigHeap[i] = object;
    }
  });
  std::size_t full = residentBytes();
  for (std::size_t i = 0; i < Objects; ++i)
    bigHeap[i] = nullptr;
  std::free(const_cast<void **>(bigHeap));
  // Freed by the first collection, idle through the next, then released.
  for (int i = 0; i < 3; ++i)
    gostack::gc();
  std::size_t released = residentBytes();
  std::fprintf(stderr, "resident with the heap %zu MiB, after %zu MiB\n",
               full >> 20, released >> 20);
  EXPECT_LT(released + Bytes / 2, full);
}

} // namespace
