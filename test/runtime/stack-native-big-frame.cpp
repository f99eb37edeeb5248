// Native code (no stack checks) with a frame larger than the 64 KiB guard,
// called from a goroutine: compiled with the plugin it probes each page of
// its frame on the way down, so it faults in the guard and the runtime
// names the overflow -- instead of stepping over the guard and writing on
// another goroutine's stack.
// RUN: %gostack_cxx -O1 %s -o %t %gostack_link
// RUN: not %t 2>&1 | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>

/// Not managed: no stack check, 1 MiB of frame, written at its far end
/// only (without probes that write lands on another stack, silently).
[[gnu::noinline]] int bigFrame(int index) {
  volatile char frame[1 << 20];
  frame[index] = 1;
  return frame[index];
}

int main() {
  return gostack::run([] {
    gostack::wait_group done;
    done.add(1);
    gostack::go([&] {
      std::printf("big native frame\n");
      std::fflush(stdout);
      std::printf("survived: %d\n", bigFrame(0));
      done.done();
    });
    done.wait();
    return 0;
  });
}

// CHECK: big native frame
// CHECK: fatal error: stack overflow
// CHECK-NOT: survived
// CHECK: goroutine {{[0-9]+}}: code without stack checks overflowed its 262144-byte stack
// CHECK: goroutine {{[0-9]+}} [running]:
// CHECK-NEXT: bigFrame(int)
