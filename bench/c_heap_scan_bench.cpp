// What scanning the C heap costs a collection: the stop-the-world pause of
// gostack::gc() with 10 MB, 100 MB and 1 GB of malloc'd data, pointer-free
// (bytes no pointer can equal) and pointer-holding (every word the address
// of one of a thousand GC objects), against the same collection with an
// empty C heap. Prints one line per case: the best pause of five.
//
//   bench/c_heap_scan_bench [MAX_MB]   (default 1024)

#include <gostack/gostack.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr std::size_t BlockBytes = 4096;

double bestPauseMs() {
  double best = 1e9;
  for (int i = 0; i < 5; ++i) {
    auto begin = std::chrono::steady_clock::now();
    gostack::gc();
    best = std::min(best, std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - begin)
                              .count());
  }
  return best;
}

void measure(std::size_t megabytes, bool pointers,
             const std::vector<long *> &targets) {
  std::size_t blocks = (megabytes << 20) / BlockBytes;
  std::vector<void **> heap(blocks);
  for (std::size_t b = 0; b < blocks; ++b) {
    heap[b] = static_cast<void **>(std::malloc(BlockBytes));
    if (pointers)
      for (std::size_t w = 0; w < BlockBytes / sizeof(void *); ++w)
        heap[b][w] = targets[(b + w) % targets.size()];
    else
      std::memset(heap[b], 0x01, BlockBytes);
  }
  std::printf("%5zu MB %-16s pause %8.2f ms\n", megabytes,
              pointers ? "pointer-holding" : "pointer-free", bestPauseMs());
  for (void **block : heap)
    std::free(block);
}

} // namespace

int main(int argc, char **argv) {
  std::size_t maxMegabytes =
      argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1024;
  std::vector<long *> targets;
  for (int i = 0; i < 1000; ++i)
    targets.push_back(gostack::go_new<long>(i));
  std::printf("empty C heap       pause %8.2f ms\n", bestPauseMs());
  for (std::size_t megabytes : {10, 100, 1024})
    if (megabytes <= maxMegabytes)
      for (bool pointers : {false, true})
        measure(megabytes, pointers, targets);
}
