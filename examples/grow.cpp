// grow: a goroutine whose stack must grow.
//
// The Go original:
//
//   func grow(depth int) int {
//       var frame [256]int      // 2 KiB per call, stays on the stack
//       slot := &frame[depth%256]
//       *slot = depth
//       if depth == 0 {
//           return *slot
//       }
//       return grow(depth-1) + *slot
//   }
//
// go build -gcflags='-m -l' reports nothing: frame does not escape. A
// goroutine starts on a 2 KiB stack; each call of grow needs more, so the
// prologue check calls into the runtime, which copies the stack to one twice
// as large and adjusts every pointer into it. gostack does the same for
// managed C++ functions (starting at 32 KiB, docs/STACKS.md).

#include <gostack/gostack.h>

#include <cstdio>

[[gostack::managed]] long grow(int depth) {
  // volatile: the optimiser would otherwise see through the recursion.
  volatile int frame[256] = {};
  // A pointer into this frame, adjusted when the stack moves.
  volatile int *slot = &frame[depth % 256];
  *slot = depth;
  if (depth == 0)
    return *slot;
  return grow(depth - 1) + *slot;
}

int main() {
  return gostack::run([] {
    long total = grow(100);
    std::printf("grow(100) = %ld\n", total);
    // About 100 KiB of frames on a 32 KiB starting stack: it moved. Built
    // without the plugin there are no checks, nothing moves, and the
    // goroutine gets a fixed 256 KiB stack instead.
    std::printf("stack moves: %llu\n",
                static_cast<unsigned long long>(
                    gostack::read_mem_stats().stack_copies));
    return total == 5050 ? 0 : 1;
  });
}
