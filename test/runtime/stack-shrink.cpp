// 100k goroutines each grow their stack past its starting size, park, and
// after a collection halve it again at their next stack check (Go's rule:
// less than a quarter used). Under GOSTACK_DEBUG=stackmove every check
// copies the whole stack, so that run uses 1000 goroutines.
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: %t | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

[[gostack::managed]] [[gnu::noinline]] long grow(long depth) {
  volatile char frame[200];
  frame[0] = static_cast<char>(depth);
  return depth ? grow(depth - 1) + frame[0] : 0;
}

struct Barrier {
  gostack::wait_group arrived;
  gostack::chan<int> release{0};
};

[[gostack::managed]] void growParkShrinkPark(Barrier *grown, Barrier *shrunk) {
  // About 24 KiB of frames: more than the 16 KiB above the native reserve
  // of a 32 KiB stack.
  volatile long sum = grow(100);
  grown->arrived.done();
  grown->release.recv();
  // The first check after the collection halves the stack.
  sum = sum + grow(1);
  shrunk->arrived.done();
  shrunk->release.recv();
}

[[gostack::managed]] int program() {
  const char *debug = std::getenv("GOSTACK_DEBUG");
  long count = debug && std::strstr(debug, "stackmove=1") ? 1000 : 100000;
  // The goroutines still use the barriers after program() returns: GC
  // objects, not locals (a local would be destroyed at the end of its scope).
  Barrier &grown = *gostack::go_new<Barrier>();
  Barrier &shrunk = *gostack::go_new<Barrier>();
  grown.arrived.add(count);
  shrunk.arrived.add(count);
  std::uint64_t copiesBefore = gostack::read_mem_stats().stack_copies;
  for (long i = 0; i < count; ++i)
    gostack::go(growParkShrinkPark, &grown, &shrunk);
  grown.arrived.wait();
  gostack::mem_stats afterGrowth = gostack::read_mem_stats();
  std::printf(
      "grown: at least 64 KiB each: %s, moved: %s\n",
      afterGrowth.stack_inuse >= std::uint64_t(count) * (64 << 10) ? "yes"
                                                                   : "no",
      afterGrowth.stack_copies - copiesBefore >= std::uint64_t(count) ? "yes"
                                                                      : "no");
  // CHECK: grown: at least 64 KiB each: yes, moved: yes

  gostack::gc(); // asks every parked goroutine to shrink
  grown.release.close();
  shrunk.arrived.wait();
  gostack::mem_stats afterShrink = gostack::read_mem_stats();
  std::printf("shrunk: below 40 KiB each: %s, moved again: %s\n",
              afterShrink.stack_inuse < std::uint64_t(count) * (40 << 10)
                  ? "yes"
                  : "no",
              afterShrink.stack_copies - afterGrowth.stack_copies >=
                      std::uint64_t(count)
                  ? "yes"
                  : "no");
  // CHECK: shrunk: below 40 KiB each: yes, moved again: yes
  shrunk.release.close();
  return 0;
}

int main() { return gostack::run(program); }
