//===-- lent.cpp - What lent stack addresses cost -------------------------===//
//
// Measures, in one program built with the plugin (bench/lent/compare.py runs
// it):
//   entry N       N calls of a managed setter whose parameter leaks, built
//                 with its entry check and without (no-rewrite): ns per call
//   move MB       one stack move (GOSTACK_DEBUG=stackmove=1 moves at every
//                 check) with MB megabytes of live GC objects, while an
//                 unmanaged frame has lent an address (the world stops and
//                 every scanned word is looked at) and while none has
// Each prints "NAME: VALUE UNIT (check C)".
//
//   lent entry 200000000 | GOSTACK_DEBUG=stackmove=1 lent move 64
//
//===----------------------------------------------------------------------===//

#include "lent_setter.h"

#include <gostack/gostack.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

double nanosecondsSince(std::chrono::steady_clock::time_point begin) {
  return std::chrono::duration<double, std::nano>(
             std::chrono::steady_clock::now() - begin)
      .count();
}

template <class Link> double timeCalls(long calls, Link link, long &check) {
  Node *nodes = new Node[2];
  auto begin = std::chrono::steady_clock::now();
  for (long i = 0; i < calls; ++i)
    link(&nodes[i & 1], &nodes[~i & 1]);
  double ns = nanosecondsSince(begin) / calls;
  check += nodes[0].next == &nodes[1];
  delete[] nodes;
  return ns;
}

void entry(long calls) {
  long check = 0;
  double checked = timeCalls(calls, linkChecked, check);
  double unchecked = timeCalls(calls, linkUnchecked, check);
  std::printf("entry-checked: %.3f ns (check %ld)\n", checked, check);
  std::printf("entry-unchecked: %.3f ns (check %ld)\n", unchecked, check);
}

/// A managed call with a frame: under stackmove=1 its check moves the
/// stack (a leaf without a frame has no check).
[[gostack::managed]] [[gnu::noinline]] long touch(long x) {
  volatile char frame[64];
  frame[0] = static_cast<char>(x);
  return x + 1 + (frame[0] == 1);
}

/// Keeps its parameter: an unmanaged caller's local is lent to it.
Node *kept;
[[gostack::managed]] [[gnu::noinline]] void keep(Node *node) { kept = node; }

double timeMoves(int moves, long &check) {
  auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < moves; ++i)
    check = touch(check);
  return nanosecondsSince(begin) / moves;
}

// Not managed: its local stays on the goroutine's stack.
[[gnu::noinline]] double movesWhileLent(int moves, long &check) {
  Node local;
  keep(&local);
  double ns = timeMoves(moves, check);
  check += kept == &local;
  return ns;
}

struct Tree {
  Tree *left = nullptr, *right = nullptr;
  long payload[6] = {};
};

void move(long megabytes) {
  // Live GC objects: every word is looked at when a lend is live.
  std::vector<Tree *> live;
  for (long bytes = 0; bytes < (megabytes << 20); bytes += sizeof(Tree))
    live.push_back(gostack::go_new<Tree>());
  long check = 0;
  constexpr int Moves = 50;
  std::uint64_t before = gostack::read_mem_stats().stack_copies;
  // The plain moves first: until the stack pointer rises above a lend at a
  // stack check, the lend counts as live (lent_addresses.h).
  double plain = timeMoves(Moves, check);
  double lent = movesWhileLent(Moves, check);
  if (gostack::read_mem_stats().stack_copies - before < 2 * Moves) {
    std::fprintf(stderr, "lent move: run with GOSTACK_DEBUG=stackmove=1\n");
    std::exit(2);
  }
  std::printf("move-lent: %.0f ns (check %ld)\n", lent, check);
  std::printf("move-plain: %.0f ns (check %ld)\n", plain, check);
  check += static_cast<long>(live.size());
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 3 ||
      (std::strcmp(argv[1], "entry") && std::strcmp(argv[1], "move"))) {
    std::fprintf(stderr, "usage: lent entry CALLS | lent move MEGABYTES\n");
    return 2;
  }
  long n = std::atol(argv[2]);
  return gostack::run([&] {
    if (!std::strcmp(argv[1], "entry"))
      entry(n);
    else
      move(n);
    return 0;
  });
}
