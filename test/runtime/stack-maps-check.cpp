// GOSTACK_DEBUG=stackcheck=1: a word of a managed frame that points into
// the stack but that the stack maps do not name is left as it is by a move;
// when the program then uses it, the access faults in the freed old stack
// and the message names the frame and the slot. Here the word is a number
// read back from a global -- the address of a local that unmanaged code
// kept against its GOSTACK_NOESCAPE promise -- then used as a pointer.
// Under ASan the stacks are scanned word by word (its fake stacks hold the
// frame objects): nothing to test there.
// UNSUPPORTED: sanitizer
// RUN: %gostack_cxx -O0 %s -o %t %gostack_link
// RUN: env GOSTACK_DEBUG=stackcheck=1 not %t 2>&1 | FileCheck %s

#include <gostack/gostack.h>

#include <cstdint>
#include <cstdio>

volatile std::uint64_t kept;

[[gnu::noinline]] void keep(GOSTACK_NOESCAPE long *p) {
  kept = reinterpret_cast<std::uint64_t>(p); // the broken promise
}

[[gostack::managed]] [[gnu::noinline]] long grow(long depth) {
  volatile long pad[64];
  pad[0] = depth;
  if (depth > 0)
    pad[1] = grow(depth - 1);
  return pad[0] + pad[1];
}

[[gostack::managed]] [[gnu::noinline]] void useAfterMove() {
  // The number must not be in the frame's saved-register words, which the
  // copier treats word by word (at -O0, the saved rbp right below the
  // return address): it is below the array.
  long local[6] = {1};
  keep(&local[0]);
  std::uint64_t number = kept; // a number to the maps
  grow(4000);
  std::printf("read: %ld\n", *reinterpret_cast<long *>(number));
}

struct Body {
  gostack::wait_group *done;
  [[gostack::managed]] void operator()() const {
    useAfterMove();
    done->done();
  }
};

int main() {
  return gostack::run([] {
    gostack::wait_group done;
    done.add(1);
    gostack::go(Body{&done});
    done.wait();
    return 0;
  });
}

// CHECK: fatal error: goroutine {{[0-9]+}} touched its old stack at 0x{{[0-9a-f]+}} after it moved
// CHECK-NEXT: fatal error: stack map check: it went through 0x{{[0-9a-f]+}}, the word at [sp+{{[0-9]+}}] of the frame returning to 0x{{[0-9a-f]+}} ({{.*}}+0x{{[0-9a-f]+}}, in {{.*}}), which its stack map does not name
// CHECK-NOT: read:
