// Goroutine stacks start small and grow by copying: pointers to locals in
// every frame, managed or native, stay right; exceptions unwind across and
// during moves; a parked goroutine's stack is written into while others
// grow. Built at -O0 and -O2 (callee-saved registers hold stack addresses
// across calls only when optimised). Also run with
// GOSTACK_DEBUG=stackmove=1,stackfaultonfree=1 (every check moves the stack
// and the old one faults) and under ASan.
// RUN: %gostack_cxx %s -o %t.O0 %gostack_link
// RUN: %t.O0 | FileCheck %s
// RUN: %gostack_cxx -O2 %s -o %t.O2 %gostack_link
// RUN: %t.O2 | FileCheck %s
// With frame pointers, LLVM keeps -&more[0] in std::sort's frame (found by
// stackmove: the stack copier must adjust negated pointers too).
// RUN: %gostack_cxx -O2 -fno-omit-frame-pointer %s -o %t.fp %gostack_link
// RUN: %t.fp | FileCheck %s

#include <gostack/gostack.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

/// A frame of a chain from the goroutine's first frame down.
struct Link {
  Link *up;
  long depth;
  long payload[6];
};

std::uint64_t copies() { return gostack::read_mem_stats().stack_copies; }

/// Recurses \p depth frames, each holding a pointer to the frame above;
/// at the bottom walks the chain, and on the way back checks each frame's
/// own pointer still reaches its own local.
[[gostack::managed]] [[gnu::noinline]] long chain(Link *up, long depth) {
  Link here{up, depth, {depth, depth, depth, depth, depth, depth}};
  Link *self = &here;
  long sum = 0;
  if (depth == 0) {
    for (Link *link = &here; link; link = link->up)
      sum += link->depth + link->payload[5] - link->payload[0];
  } else {
    sum = chain(&here, depth - 1);
  }
  if (self != &here || !gostack::on_current_stack(self) ||
      self->payload[3] != depth)
    std::abort();
  return sum;
}

[[gostack::managed]] [[gnu::noinline]] long grow(long depth) {
  volatile char frame[200];
  frame[0] = static_cast<char>(depth);
  return depth ? grow(depth - 1) + frame[0] : 0;
}

// Native code (no stack checks) between managed frames: it keeps pointers
// to its own locals in registers and in its frame across a call back into
// managed code that moves the stack.
[[gnu::noinline]] long nativeAround(long (*callback)(long), long argument) {
  long local[4] = {11, 22, 33, 44};
  volatile long *pointer = local;
  long result = callback(argument);
  return result + pointer[0] + pointer[3] + local[1];
}

[[gostack::managed]] long growThenReturn(long depth) { return grow(depth); }

/// A comparator that makes the stack grow the first times it is called,
/// from inside qsort's and std::sort's native frames.
long comparisons = 0;
[[gostack::managed]] int compareGrowing(const void *a, const void *b) {
  if (++comparisons % 200 == 1)
    grow(400);
  long x = *static_cast<const long *>(a), y = *static_cast<const long *>(b);
  return (x > y) - (x < y);
}

[[gostack::managed]] [[gnu::noinline]] bool sortsOnTheStack() {
  long values[300];
  for (long i = 0; i < 300; ++i)
    values[i] = (i * 7919) % 300;
  std::qsort(values, 300, sizeof(long), compareGrowing);
  bool sorted = std::is_sorted(values, values + 300);
  long more[300];
  for (long i = 0; i < 300; ++i)
    more[i] = (i * 104729) % 300;
  std::sort(more, more + 300, [](long a, long b) {
    if (++comparisons % 300 == 1)
      grow(400);
    return a < b;
  });
  return sorted && std::is_sorted(more, more + 300);
}

struct GrowsWhenDestroyed {
  long *total;
  [[gostack::managed]] ~GrowsWhenDestroyed() { *total += grow(3000); }
};

[[gostack::managed]] [[gnu::noinline]] void throwFrom(long depth, long *total) {
  GrowsWhenDestroyed cleanup{total};
  if (depth == 0)
    throw std::runtime_error("from the bottom");
  throwFrom(depth - 1, total);
}

[[gostack::managed]] void exceptions() {
  long before = copies();
  try {
    grow(3000);
    throw std::runtime_error("after a move");
  } catch (const std::exception &error) {
    std::printf("caught: %s, stack moved: %s\n", error.what(),
                copies() > before ? "yes" : "no");
  }
  long total = 0;
  try {
    throwFrom(5, &total);
  } catch (const std::exception &error) {
    std::printf("caught: %s, cleanups ran: %s\n", error.what(),
                total == 6 * grow(3000) ? "yes" : "no");
  }
}

[[gostack::managed]] void parkedWhileOthersGrow() {
  gostack::chan<long> values(0);
  gostack::wait_group done;
  long received = 0, sumOfGrowth = 0;
  done.add(1);
  gostack::go([&] {
    long local = -1;
    long *mine = &local;
    values.recv(local); // the sender writes into this parked stack
    received = *mine + grow(2000);
    done.done();
  });
  gostack::wait_group growers;
  for (int i = 0; i < 8; ++i) {
    growers.add(1);
    gostack::go([&] {
      long result = grow(5000);
      __atomic_add_fetch(&sumOfGrowth, result, __ATOMIC_RELAXED);
      growers.done();
    });
  }
  growers.wait();
  values.send(1234);
  done.wait();
  std::printf("parked receiver got: %ld, growers: %s\n", received - grow(2000),
              sumOfGrowth == 8 * grow(5000) ? "right" : "wrong");
}

/// Runs \p body in a new goroutine, on a new (small) stack, and waits.
template <class Body> [[gostack::managed]] void inNewGoroutine(Body body) {
  gostack::wait_group done;
  done.add(1);
  gostack::go([&] {
    body();
    done.done();
  });
  done.wait();
}

[[gostack::managed]] int program() {
  inNewGoroutine([] {
    // 3000 frames of ~100 bytes: 32 KiB grows to 512 KiB.
    long before = copies();
    long sum = chain(nullptr, 3000);
    std::printf("chain: %ld, moved: %s\n", sum,
                copies() > before ? "yes" : "no");
  });
  // CHECK: chain: 4501500, moved: yes

  inNewGoroutine([] {
    long native = nativeAround(growThenReturn, 3000);
    std::printf("native frames: %s\n",
                native == grow(3000) + 11 + 44 + 22 ? "intact" : "broken");
  });
  // CHECK: native frames: intact
  inNewGoroutine([] {
    std::printf("qsort and std::sort with growing comparators: %s\n",
                sortsOnTheStack() ? "sorted" : "unsorted");
  });
  // CHECK: qsort and std::sort with growing comparators: sorted

  inNewGoroutine(exceptions);
  // CHECK: caught: after a move, stack moved: yes
  // CHECK: caught: from the bottom, cleanups ran: yes
  parkedWhileOthersGrow();
  // CHECK: parked receiver got: 1234, growers: right
  return 0;
}

int main() { return gostack::run(program); }
