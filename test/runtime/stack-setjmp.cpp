// setjmp/longjmp across a stack move: glibc keeps the jmp_buf's stack and
// frame pointers mangled with its pointer guard, and the copier adjusts them
// mangled, so a longjmp after the stack grew (or, with
// GOSTACK_DEBUG=stackmove=1,stackfaultonfree=1, after every move, the old
// stack made inaccessible) resumes on the goroutine's current stack --
// jmp_buf on the stack, in the GC heap (its address escapes) and sigsetjmp.
// RUN: %gostack_cxx -O2 %s -o %t %gostack_link
// RUN: %t | FileCheck %s
// RUN: env GOSTACK_DEBUG=stackmove=1,stackfaultonfree=1 %t | FileCheck %s

#include <gostack/gostack.h>

#include <csetjmp>
#include <csignal>
#include <cstdio>

[[gostack::managed]] [[gnu::noinline]] long grow(long depth) {
  volatile char frame[256];
  frame[0] = static_cast<char>(depth);
  return depth ? grow(depth - 1) + frame[0] : 0;
}

[[gostack::managed]] [[gnu::noinline]] void growAndJump(std::jmp_buf &where,
                                                        long depth) {
  grow(depth);
  std::longjmp(where, 7);
}

/// A jmp_buf on the goroutine's stack; the jump comes after ~600 KiB of
/// frames moved the stack several times.
[[gostack::managed]] [[gnu::noinline]] int jumpAfterGrowth() {
  std::jmp_buf where;
  volatile int local = 35;
  if (int value = setjmp(where))
    return value + local;
  local = 36;
  growAndJump(where, 2000);
  return -1;
}

void (*volatile keep)(void *) = [](void *) {};

/// The same with the jmp_buf in the GC heap: its address escapes.
[[gostack::managed]] [[gnu::noinline]] int jumpFromHeapBuffer() {
  std::jmp_buf where;
  keep(&where);
  volatile int local = 35;
  if (int value = setjmp(where))
    return value + local;
  growAndJump(where, 2000);
  return -1;
}

[[gostack::managed]] [[gnu::noinline]] int sigJumpAfterGrowth() {
  sigjmp_buf where;
  if (int value = sigsetjmp(where, 1))
    return value;
  grow(2000);
  siglongjmp(where, 42);
}

int main() {
  return gostack::run([] {
    std::uint64_t before = gostack::read_mem_stats().stack_copies;
    std::printf("stack: %d\n", jumpAfterGrowth());
    // CHECK: stack: 43
    std::printf("heap: %d\n", jumpFromHeapBuffer());
    // CHECK: heap: 42
    std::printf("sigsetjmp: %d\n", sigJumpAfterGrowth());
    // CHECK: sigsetjmp: 42
    std::printf("stack moved: %s\n",
                gostack::read_mem_stats().stack_copies > before ? "yes" : "no");
    // CHECK: stack moved: yes
    return 0;
  });
}
