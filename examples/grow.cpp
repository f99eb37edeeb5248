// grow: a goroutine whose stack must grow.
//
// The Go original:
//
//   func grow(depth int) int {
//       var frame [256]int      // 2 KiB per call, stays on the stack
//       frame[0] = depth
//       if depth == 0 {
//           return frame[0]
//       }
//       return grow(depth-1) + frame[0]
//   }
//
// go build -gcflags='-m -l' reports nothing: frame does not escape. A
// goroutine starts on a 2 KiB stack; each call of grow needs more, so the
// prologue check calls into the runtime, which copies the stack to one twice
// as large and adjusts every pointer into it. gostack does the same for
// managed C++ functions.

#include <gostack/gostack.h>

#include <array>
#include <cstdio>

[[gostack::managed]] long grow(int depth) {
  std::array<int, 256> frame{};
  frame[0] = depth;
  int *first = &frame[0]; // a pointer into this frame, adjusted on growth
  if (depth == 0)
    return *first;
  return grow(depth - 1) + *first;
}

int main() {
  return gostack::run([] {
    long total = grow(100);
    std::printf("grow(100) = %ld\n", total);
    return total == 5050 ? 0 : 1;
  });
}
