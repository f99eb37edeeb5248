// What a collection's stop-the-world pause grows with: the C heap it scans
// (10 MB, 100 MB and 1 GB of malloc'd data, pointer-free -- bytes no pointer
// can equal -- and pointer-holding -- every word the address of one of a
// thousand GC objects; and the same pointer-free data in std::vector<double>
// buffers, which the plugin, compiling this file, allocates unscanned), and
// the dead objects it hands to the finalizer thread (200k with destructors,
// against 200k without). Prints one line per case: the best pause of five
// (mem_stats.last_pause_ns: without gc()'s wait for the destructors).
//
//   bench-gc-pause [MAX_MB]   (default 1024)

#include <gostack/gostack.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace {

constexpr std::size_t BlockBytes = 4096;

/// The stop-the-world pause of one collection (gc() itself also waits for
/// the destructors it queued), in ms.
double pauseMs() {
  gostack::gc();
  return gostack::read_mem_stats().last_pause_ns / 1e6;
}

double bestPauseMs() {
  double best = 1e9;
  for (int i = 0; i < 5; ++i)
    best = std::min(best, pauseMs());
  return best;
}

struct WithDestructor {
  long value = 1;
  ~WithDestructor() { value = 0; }
};
struct WithoutDestructor {
  long value = 1;
};

template <class T> void measureDead(const char *what) {
  double best = 1e9;
  for (int i = 0; i < 5; ++i) {
    std::thread([] {
      for (int j = 0; j < 200000; ++j)
        gostack::go_new<T>();
    }).join();
    best = std::min(best, pauseMs());
  }
  std::printf("200k dead objects %-22s pause %8.2f ms\n", what, best);
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

/// The same bytes as std::vector<double> buffers: unscanned blocks.
void measureTyped(std::size_t megabytes) {
  std::size_t blocks = (megabytes << 20) / BlockBytes;
  std::vector<std::vector<double>> heap(blocks);
  for (std::vector<double> &block : heap)
    block.assign(BlockBytes / sizeof(double), 1.0);
  std::printf("%5zu MB %-16s pause %8.2f ms\n", megabytes, "vector<double>",
              bestPauseMs());
}

} // namespace

int main(int argc, char **argv) {
  std::size_t maxMegabytes =
      argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1024;
  std::vector<long *> targets;
  for (int i = 0; i < 1000; ++i)
    targets.push_back(gostack::go_new<long>(i));
  std::printf("empty C heap       pause %8.2f ms\n", bestPauseMs());
  measureDead<WithoutDestructor>("without destructors");
  measureDead<WithDestructor>("with destructors");
  for (std::size_t megabytes : {10, 100, 1024})
    if (megabytes <= maxMegabytes) {
      for (bool pointers : {false, true})
        measure(megabytes, pointers, targets);
      measureTyped(megabytes);
    }
}
