// A goroutine that recurses without end grows its stack by doubling up to
// 1 GiB and then dies with Go's message, naming the goroutine and the
// limit. Frames of 64 KiB that are barely touched keep the memory used
// down (each move still writes the used half of the next stack). Run with
// the stack debug knobs cleared: moving 1 GiB at every check would take
// hours.
// RUN: %gostack_cxx -O1 %s -o %t %gostack_link
// RUN: env GOSTACK_DEBUG= not %t 2>&1 | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>

[[gostack::managed]] [[gnu::noinline]] long forever(long depth) {
  volatile char frame[64 << 10];
  frame[0] = static_cast<char>(depth);
  return forever(depth + 1) + frame[0];
}

[[gostack::managed]] int program() {
  gostack::wait_group done;
  done.add(1);
  gostack::go([&] {
    std::printf("recursing\n");
    std::fflush(stdout);
    forever(0);
    done.done();
  });
  done.wait();
  return 0;
}

int main() { return gostack::run(program); }

// CHECK: recursing
// CHECK: runtime: goroutine {{[0-9]+}} stack exceeds 1073741824-byte limit
// CHECK-NEXT: fatal error: stack overflow
// CHECK-EMPTY:
// CHECK-NEXT: goroutine {{[0-9]+}} [running]:
// CHECK-NEXT: forever(long)
// CHECK: forever(long)
// CHECK: ...additional frames elided...
