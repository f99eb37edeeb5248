// A pointer into a goroutine's stack kept where the runtime cannot adjust
// it -- unmanaged code that breaks its promise not to keep it -- goes stale
// when the stack moves. With
// GOSTACK_DEBUG=stackfaultonfree=1 the old stack is inaccessible, and the
// fault names the goroutine, the address and the rule broken -- never a
// bare SIGSEGV.
// RUN: %gostack_cxx -g -O1 %s -o %t %gostack_link
// RUN: env GOSTACK_DEBUG=stackfaultonfree=1 not %t own 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OWN
// RUN: env GOSTACK_DEBUG=stackfaultonfree=1 not %t other 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OTHER

#include <gostack/gostack.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

std::uintptr_t hidden;

/// Unmanaged, and it breaks the cgo rule: it keeps the pointer it promised
/// not to keep.
[[gnu::noinline]] void keep(GOSTACK_NOESCAPE int *p) {
  hidden = reinterpret_cast<std::uintptr_t>(p);
}

[[gostack::managed]] [[gnu::noinline]] int grow(int depth) {
  volatile char frame[1024];
  frame[depth % 1024] = static_cast<char>(depth);
  return depth ? grow(depth - 1) + frame[depth % 1024] : 0;
}

[[gnu::noinline]] int readHidden() {
  return *reinterpret_cast<volatile int *>(hidden);
}

[[gostack::managed]] void keepAndGrow(gostack::chan<int> &moved) {
  int local = 42;
  keep(&local);
  grow(64); // 64 KiB: the stack moves, the old one is freed
  moved.send(1);
  std::printf("own read: %d\n", readHidden());
  std::printf("%d\n", local);
}

int main(int argc, char **argv) {
  bool own = argc > 1 && !std::strcmp(argv[1], "own");
  return gostack::run([&] {
    gostack::chan<int> moved(1);
    gostack::wait_group done;
    done.add(1);
    gostack::go([&] {
      if (own) {
        keepAndGrow(moved);
      } else {
        int local = 7;
        keep(&local);
        grow(64);
        moved.send(1);
        gostack::chan<int>().recv(); // stays, on its new stack
      }
      done.done();
    });
    moved.recv();
    if (!own)
      std::printf("other read: %d\n", readHidden());
    done.wait();
    return 0;
  });
}

// OWN: fatal error: goroutine [[G:[0-9]+]] touched its old stack at 0x{{[0-9a-f]+}} after it moved
// OWN-NEXT: (a pointer into a goroutine's stack was kept where the runtime does not adjust it when the stack moves: in unmanaged code's memory or as an integer. Go's cgo rule: unmanaged code must not keep a pointer to a goroutine's stack beyond the call; see docs/STACKS.md)
// OWN-EMPTY:
// OWN-NEXT: goroutine [[G]] [running]:
// OWN-NEXT: readHidden()

// OTHER: fatal error: goroutine 1 touched the old stack of goroutine {{[0-9]+}} at 0x{{[0-9a-f]+}} after it moved
