// Small-object allocation: go_new against glibc malloc/free.
//
// Until the collector exists the GC heap never frees, so the iteration
// count is fixed to bound its memory; the collector will lift that bound.

#include <gostack/gostack.h>

#include <benchmark/benchmark.h>

#include <cstdlib>

namespace {

struct Small {
  long a, b;
};

constexpr int Iterations = 1 << 20;

void BM_GoNew(benchmark::State &state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(gostack::go_new<Small>(1L, 2L));
}
BENCHMARK(BM_GoNew)->Iterations(Iterations);

void BM_MallocFree(benchmark::State &state) {
  for (auto _ : state) {
    auto *object = static_cast<Small *>(std::malloc(sizeof(Small)));
    object->a = 1;
    object->b = 2;
    benchmark::DoNotOptimize(object);
    std::free(object);
  }
}
BENCHMARK(BM_MallocFree)->Iterations(Iterations);

} // namespace
