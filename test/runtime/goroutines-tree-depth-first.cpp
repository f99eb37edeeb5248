// A tree of goroutines unfolds depth first, as Go's does: 10,000 leaves,
// each node starting ten children and summing what they send (skynet), on
// one worker -- where the order is the scheduler's alone. Go 1.19-1.23
// keep about 1,600 goroutines alive at once here. Two rules keep us near
// that: the global queue is looked at first every 61st time slice, not
// every 61st switch (a child run next continues its parent's slice; 2,987
// alive otherwise), and a worker out of work takes its share of the global
// queue at once, so what it starts meanwhile waits behind (1,954 alive
// otherwise).
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: env GOSTACK_MAXPROCS=1 %t | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>

namespace {

std::size_t mostAlive = 0;

[[gostack::managed]] void node(gostack::chan<long> out, long first,
                               long leaves) {
  std::size_t alive = gostack::num_goroutine();
  if (alive > mostAlive)
    mostAlive = alive;
  if (leaves == 1) {
    out.send(first);
    return;
  }
  gostack::chan<long> results;
  for (long i = 0; i < 10; ++i)
    gostack::go(node, results, first + i * (leaves / 10), leaves / 10);
  long sum = 0;
  for (long i = 0; i < 10; ++i)
    sum += results.recv();
  out.send(sum);
}

} // namespace

int main() {
  return gostack::run([] {
    gostack::chan<long> out;
    gostack::go(node, out, 0L, 10000L);
    std::printf("sum %ld\n", out.recv());
    // CHECK: sum 49995000
    std::printf("alive at once: %s (%zu)\n",
                mostAlive <= 1800 ? "at most 1800" : "too many", mostAlive);
    // CHECK: alive at once: at most 1800
  });
}
