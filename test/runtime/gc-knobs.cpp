// The collector's knobs: GOSTACK_DEBUG=gctrace=1 prints one line per
// collection, as Go's gctrace (with the clock time of the first stop, the
// concurrent marking and the final stop -- the collector's own thread,
// gostack-gc, collects while the program's allocates; with
// gcstoptheworld=1, of the one stop, on the program's thread);
// read_mem_stats() keeps the recent pauses; GOSTACK_GC sets how far the heap grows
// between collections (percent over what survived), and off leaves only
// gostack::gc(); a value that is neither is reported and ignored.
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: env GOSTACK_DEBUG=gctrace=1,gcstoptheworld=1 %t 2>&1 | FileCheck %s --check-prefix=TRACE
// RUN: %if write-watch %{ env GOSTACK_DEBUG=gctrace=1 %t 2>&1 | FileCheck %s --check-prefix=PHASES %}
// RUN: env GOSTACK_GC=off %t | FileCheck %s --check-prefix=OFF
// RUN: env GOSTACK_GC=100 %t | FileCheck %s --check-prefix=DEFAULT
// RUN: env GOSTACK_GC=400 %t | FileCheck %s --check-prefix=LAZIER
// RUN: env GOSTACK_GC=often %t 2>&1 | FileCheck %s --check-prefix=BAD

#include <gostack/gostack.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

struct Node {
  Node *next;
  long payload[5];
};

int main() {
  // 256 MiB of garbage, 48 bytes at a time, with nothing kept.
  for (long i = 0; i < (256L << 20) / 48; ++i)
    gostack::go_new<Node>();
  std::printf(
      "automatic collections: %llu\n",
      static_cast<unsigned long long>(gostack::read_mem_stats().num_gc));
  gostack::gc();
  gostack::mem_stats stats = gostack::read_mem_stats();
  std::printf("after gc(): %llu\n",
              static_cast<unsigned long long>(stats.num_gc));
  // Go's PauseNs: the last collection's pause at (num_gc + 255) % 256.
  std::uint64_t longest = 0, total = 0;
  for (std::uint64_t pause : stats.pause_ns) {
    longest = std::max(longest, pause);
    total += pause;
  }
  std::printf("pause history: %s\n",
              stats.pause_ns[(stats.num_gc + 255) % 256] ==
                          stats.last_pause_ns &&
                      longest == stats.max_pause_ns && longest > 0 &&
                      total <= stats.pause_total_ns
                  ? "consistent"
                  : "wrong");
}
// The goal is at least 4 MB at GOSTACK_GC=100 (as Go's): some 64
// collections; at 400, 16 MB: some 16.
// TRACE: gc 1 @{{[0-9]+\.[0-9]+}}s: {{[0-9]+\.[0-9]+}} ms stop-the-world, {{[0-9]+}}->{{[0-9]+}} MB, 4 MB goal, 1 thread, {{[0-9]+}} objects freed, 0 to destroy{{$}}
// TRACE: gc {{[0-9]+}} {{.*}} (forced)
// PHASES: gc 1 @{{[0-9]+\.[0-9]+}}s: {{[0-9]+\.[0-9]+}}+{{[0-9]+\.[0-9]+}}+{{[0-9]+\.[0-9]+}} ms clock, {{[0-9]+}}->{{[0-9]+}} MB, 4 MB goal, 2 threads, {{[0-9]+}} objects freed, 0 to destroy{{$}}
// OFF: automatic collections: 0
// OFF-NEXT: after gc(): 1
// OFF-NEXT: pause history: consistent
// DEFAULT: automatic collections: {{[4-9][0-9]}}
// DEFAULT: pause history: consistent
// LAZIER: automatic collections: {{1[0-9]}}{{$}}
// BAD: gostack: GOSTACK_GC=often is neither a percentage nor 'off'; using 100
// BAD: automatic collections: {{[4-9][0-9]}}
