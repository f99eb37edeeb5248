// A loop allocating a small object that does not escape, four ways side by
// side: go_new with the plugin (rewritten to a frame slot), go_new without
// it (the GC heap), a plain C++ local, and malloc/free. Each benchmark
// iteration is one loop of LoopLength objects; the heap_allocs_per_object
// counter comes from read_mem_stats().mallocs.
//
// The GC heap of today never frees, so the iteration count is fixed to bound
// the memory the plugin-off variant takes.

#include "frame_alloc_point.h"

#include <gostack/gostack.h>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <new>

namespace {

constexpr long LoopLength = 1000;
constexpr int Iterations = 20000;

// The same opaque use of the object as in frame_alloc_loops.cpp.
[[gnu::noinline]] long consume(const Point *p) { return p->x ^ p->y; }

long plainLocalLoop(long n) {
  long total = 0;
  for (long i = 0; i < n; ++i) {
    Point p{i, i + 1};
    total += consume(&p);
  }
  return total;
}

long mallocFreeLoop(long n) {
  long total = 0;
  for (long i = 0; i < n; ++i) {
    auto *p = ::new (std::malloc(sizeof(Point))) Point{i, i + 1};
    total += consume(p);
    std::free(p);
  }
  return total;
}

void run(benchmark::State &state, long (*loop)(long)) {
  std::uint64_t before = gostack::read_mem_stats().mallocs;
  for (auto _ : state)
    benchmark::DoNotOptimize(loop(LoopLength));
  double objects = double(state.iterations()) * LoopLength;
  state.counters["heap_allocs_per_object"] =
      double(gostack::read_mem_stats().mallocs - before) / objects;
  state.counters["objects"] =
      benchmark::Counter(objects, benchmark::Counter::kIsRate);
}

void BM_GoNewPluginOn(benchmark::State &state) {
  run(state, goNewLoop_plugin_on);
}
void BM_GoNewPluginOff(benchmark::State &state) {
  run(state, goNewLoop_plugin_off);
}
void BM_PlainLocal(benchmark::State &state) { run(state, plainLocalLoop); }
void BM_MallocFree(benchmark::State &state) { run(state, mallocFreeLoop); }

BENCHMARK(BM_GoNewPluginOn)->Iterations(Iterations);
BENCHMARK(BM_GoNewPluginOff)->Iterations(Iterations);
BENCHMARK(BM_PlainLocal)->Iterations(Iterations);
BENCHMARK(BM_MallocFree)->Iterations(Iterations);

} // namespace
