// Native code (no stack checks) called from a goroutine runs in the reserve
// below the stack guard; recursing past it faults in the guard region below
// the stack, and the runtime says so instead of crashing silently.
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: not %t 2>&1 | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>

/// Not managed: its frames are not checked.
[[gnu::noinline]] int nativeDeep(int depth) {
  volatile char frame[1024] = {};
  return depth ? nativeDeep(depth - 1) + frame[0] : 0;
}

[[gostack::managed]] int program() {
  gostack::wait_group done;
  done.add(1);
  gostack::go([&] {
    std::printf("recursing natively\n");
    std::fflush(stdout);
    nativeDeep(100000);
    done.done();
  });
  done.wait();
  return 0;
}

int main() { return gostack::run(program); }

// CHECK: recursing natively
// CHECK: fatal error: stack overflow
// CHECK: goroutine {{[0-9]+}}: code without stack checks overflowed its 32768-byte stack (native code called from managed code has 16384 bytes; run deep native code in gostack::systemstack)
// CHECK-EMPTY:
// CHECK-NEXT: goroutine {{[0-9]+}} [running]:
// CHECK-NEXT: nativeDeep(int)
