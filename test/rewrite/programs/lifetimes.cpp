// Lifetimes after the rewrite. An object built in a frame slot is destroyed
// exactly once: when its frame ends, when its slot is reused by the next
// iteration of a loop, and when an exception leaves the frame. The storage
// of a variable moved to the heap outlives its frame: the pointer stays
// valid after the stack is overwritten (under ASan, a dangling stack pointer
// would be reported as stack-use-after-return). A variable with a destructor
// is still destroyed at the end of its scope (moved-lifetimes.cpp),
// so the ones returned here have none.
// RUN: %gostack_cxx -Wno-return-stack-address %s -o %t %gostack_link
// RUN: env ASAN_OPTIONS=detect_stack_use_after_return=1 %t | FileCheck %s

#include <gostack/gostack.h>

#include <array>
#include <cstdio>
#include <functional>
#include <stdexcept>

struct Tracked {
  static inline int constructed = 0, destroyed = 0;
  int id;
  explicit Tracked(int id, bool fail = false) : id(id) {
    if (fail)
      throw std::runtime_error("constructor failed");
    ++constructed;
  }
  ~Tracked() { ++destroyed; }
  static int live() { return constructed - destroyed; }
};

static void report(const char *what) {
  std::printf("%s: constructed %d, destroyed %d\n", what, Tracked::constructed,
              Tracked::destroyed);
  Tracked::constructed = Tracked::destroyed = 0;
}

[[gostack::managed]] int frameEnd() {
  Tracked *t = gostack::go_new<Tracked>(1);
  return t->id;
}

[[gostack::managed]] int loop(int count) {
  int total = 0;
  for (int i = 0; i < count; ++i) {
    // The previous iteration's object is destroyed when the slot is reused.
    if (Tracked::live() != (i == 0 ? 0 : 1))
      std::printf("iteration %d: %d live before go_new\n", i, Tracked::live());
    total += gostack::go_new<Tracked>(i)->id;
  }
  return total;
}

[[gostack::managed]] int throws() {
  Tracked *a = gostack::go_new<Tracked>(1);
  Tracked *b = gostack::go_new<Tracked>(2);
  if (a->id + b->id == 3)
    throw std::runtime_error("leaving the frame");
  return 0;
}

[[gostack::managed]] int failsOnThird() {
  int total = 0;
  for (int i = 0; i < 5; ++i)
    total += gostack::go_new<Tracked>(i, i == 2)->id;
  return total;
}

[[gostack::managed]] int *leakInt() {
  int n = 7;
  return &n;
}

[[gostack::managed]] std::array<char, 100> *leakArray() {
  std::array<char, 100> a;
  a.fill('g');
  return &a;
}

[[gostack::managed]] std::function<int()> counter(int start) {
  return [&start] { return ++start; }; // start moves to the heap
}

// Overwrites the stack where the frames above were.
[[gostack::managed]] int scribble(int depth) {
  volatile char junk[512];
  for (volatile char &c : junk)
    c = static_cast<char>(depth);
  return depth ? scribble(depth - 1) + junk[1] : 0;
}

int main() {
  frameEnd();
  report("frame end");
  // CHECK: frame end: constructed 1, destroyed 1

  loop(100);
  report("loop");
  // CHECK-NOT: live before go_new
  // CHECK: loop: constructed 100, destroyed 100

  try {
    throws();
  } catch (const std::exception &) {
  }
  report("exception");
  // CHECK: exception: constructed 2, destroyed 2

  try {
    failsOnThird();
  } catch (const std::exception &) {
  }
  report("failing constructor");
  // CHECK: failing constructor: constructed 2, destroyed 2

  int *n = leakInt();
  std::array<char, 100> *s = leakArray();
  std::function<int()> next = counter(40);
  scribble(16);
  std::printf("after scribble: %d %zu %c %d %d\n", *n, s->size(), (*s)[99],
              next(), next());
  // CHECK: after scribble: 7 100 g 41 42
}
