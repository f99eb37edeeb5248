// Small-object allocation throughput: go_new (collections included) against
// glibc malloc/free and Boehm's GC_MALLOC, side by side in one run.
//
// Each allocator keeps the last 1024 objects in a ring held by a global, as
// a program keeps its recent objects: the one it displaces becomes garbage
// (malloc frees it at once; the collectors find it later).

#include <gostack/gostack.h>

#include <benchmark/benchmark.h>
#include <gc/gc.h>

#include <cstdlib>
#include <cstring>

namespace {

constexpr std::size_t RingSize = 1024;
void *ring[RingSize];

template <std::size_t Size> struct Object {
  long words[Size / sizeof(long)];
};

template <std::size_t Size> void BM_GoNew(benchmark::State &state) {
  std::size_t next = 0;
  for (auto _ : state) {
    ring[next] = gostack::go_new<Object<Size>>();
    next = (next + 1) % RingSize;
  }
  state.SetItemsProcessed(state.iterations());
}

template <std::size_t Size> void BM_MallocFree(benchmark::State &state) {
  std::memset(ring, 0, sizeof ring);
  std::size_t next = 0;
  for (auto _ : state) {
    std::free(ring[next]);
    // Zeroed as go_new's and GC_MALLOC's objects are.
    ring[next] = std::calloc(1, Size);
    next = (next + 1) % RingSize;
  }
  for (void *&object : ring)
    std::free(std::exchange(object, nullptr));
  state.SetItemsProcessed(state.iterations());
}

template <std::size_t Size> void BM_BoehmGcMalloc(benchmark::State &state) {
  std::size_t next = 0;
  for (auto _ : state) {
    ring[next] = GC_MALLOC(Size);
    next = (next + 1) % RingSize;
  }
  state.SetItemsProcessed(state.iterations());
}

#define ALLOCATORS(SIZE)                                                       \
  BENCHMARK(BM_GoNew<SIZE>);                                                   \
  BENCHMARK(BM_MallocFree<SIZE>);                                              \
  BENCHMARK(BM_BoehmGcMalloc<SIZE>);

ALLOCATORS(16)
ALLOCATORS(64)
ALLOCATORS(256)

bool initialiseBoehm() {
  GC_INIT();
  return true;
}
const bool boehmReady = initialiseBoehm();

} // namespace
