// malloc/free and new/delete through the runtime's C heap (the scanned,
// uncollectable blocks every gostack program allocates from) against
// glibc's malloc, side by side in one run: glibc's stays callable as
// __libc_malloc and __libc_free when the runtime's malloc interposes.
//
// Each thread keeps its last 1024 blocks in a ring, as a program keeps its
// recent objects, and frees the block it displaces; sizes 16 B to 64 KiB,
// on 1, 2 and 4 threads. A second pattern frees on another thread than the
// one that allocated (producer/consumer), the case thread caches handle
// worst.

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>
#include <vector>

extern "C" void *__libc_malloc(std::size_t);
extern "C" void __libc_free(void *);

namespace {

constexpr std::size_t RingSize = 1024;

struct Runtime {
  static void *allocate(std::size_t size) { return std::malloc(size); }
  static void release(void *block) { std::free(block); }
};
struct Glibc {
  static void *allocate(std::size_t size) { return __libc_malloc(size); }
  static void release(void *block) { __libc_free(block); }
};
struct RuntimeNew {
  static void *allocate(std::size_t size) { return ::operator new(size); }
  static void release(void *block) { ::operator delete(block); }
};

template <class Allocator> void BM_Ring(benchmark::State &state) {
  auto size = static_cast<std::size_t>(state.range(0));
  std::vector<void *> ring(RingSize, nullptr);
  std::size_t next = 0;
  for (auto _ : state) {
    Allocator::release(ring[next]);
    void *block = Allocator::allocate(size);
    static_cast<char *>(block)[0] = 1; // touched, as a program would
    ring[next] = block;
    next = (next + 1) % RingSize;
  }
  for (void *block : ring)
    Allocator::release(block);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<long>(size));
}

/// One thread allocates, another frees, through a small ring of slots.
template <class Allocator> void BM_CrossThread(benchmark::State &state) {
  auto size = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t Slots = 4096;
  std::vector<std::atomic<void *>> slots(Slots);
  std::atomic<bool> done{false};
  std::thread consumer([&] {
    for (std::size_t i = 0; !done.load(std::memory_order_relaxed);
         i = (i + 1) % Slots)
      if (void *block = slots[i].exchange(nullptr, std::memory_order_acquire))
        Allocator::release(block);
  });
  std::size_t next = 0;
  for (auto _ : state) {
    void *block = Allocator::allocate(size);
    static_cast<char *>(block)[0] = 1;
    while (slots[next].load(std::memory_order_relaxed))
      ; // the consumer has not freed this slot's block yet
    slots[next].store(block, std::memory_order_release);
    next = (next + 1) % Slots;
  }
  done = true;
  consumer.join();
  for (auto &slot : slots)
    Allocator::release(slot.exchange(nullptr));
  state.SetItemsProcessed(state.iterations());
}

void sizes(benchmark::internal::Benchmark *b) {
  for (long size : {16, 64, 256, 1024, 4096, 16384, 65536})
    b->Arg(size);
}

BENCHMARK(BM_Ring<Runtime>)->Apply(sizes)->ThreadRange(1, 4)->UseRealTime();
BENCHMARK(BM_Ring<Glibc>)->Apply(sizes)->ThreadRange(1, 4)->UseRealTime();
BENCHMARK(BM_Ring<RuntimeNew>)->Arg(64)->ThreadRange(1, 4)->UseRealTime();
BENCHMARK(BM_CrossThread<Runtime>)->Arg(64)->Arg(4096)->UseRealTime();
BENCHMARK(BM_CrossThread<Glibc>)->Arg(64)->Arg(4096)->UseRealTime();

} // namespace
