// Variables of a frame that live in the GC heap -- a moved local, a
// variable-length array too large for the stack -- are part of their frame:
// when the goroutine's stack moves, their words that point into the stack
// are adjusted as the stack's own are. Code the analysis does not place can
// put such pointers there: here an unmanaged caller passes the address of
// its own local to a managed function that keeps it in a moved local (as
// leveldb's C API does), and a managed array of pointers to locals outgrows
// the stack.
// RUN: %gostack_cxx -O2 %s -o %t %gostack_link
// RUN: %t | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>

struct Holder {
  int *target;
};

// Unknown to the analysis: a Holder passed to it escapes (moves).
void (*volatile opaque)(Holder *) = [](Holder *) {};

[[gostack::managed]] [[gnu::noinline]] long grow(long depth) {
  volatile char frame[256];
  frame[0] = static_cast<char>(depth);
  return depth ? grow(depth - 1) + frame[0] : 0;
}

[[gostack::managed]] [[gnu::noinline]] void keepAndGrow(int *target) {
  Holder kept{target}; // moves to the heap: its address escapes
  opaque(&kept);
  grow(2000); // about 600 KiB of frames: the stack moves several times
  *kept.target += 1;
}

// Not managed: its local stays on the goroutine's stack, and moves with it.
[[gnu::noinline]] int unmanagedCaller() {
  int local = 41;
  keepAndGrow(&local);
  return local;
}

[[gostack::managed]] [[gnu::noinline]] long arrayOfPointers(long count) {
  long first = 1, second = 2;
  // Too large to fit above the stack guard: GC-heap memory, kept while the
  // frame points to it.
  long *pointers[count];
  for (long i = 0; i < count; ++i)
    pointers[i] = i % 2 ? &second : &first;
  grow(2000);
  long sum = 0;
  for (long i = 0; i < count; ++i)
    sum += *pointers[i];
  first = 10; // the pointers still name the frame's own variables
  return sum + *pointers[0] * (pointers[count - 1] == &second);
}

int main() {
  return gostack::run([] {
    std::uint64_t before = gostack::read_mem_stats().stack_copies;
    int result = unmanagedCaller();
    std::printf("unmanaged caller's local: %d, stack moved: %s\n", result,
                gostack::read_mem_stats().stack_copies > before ? "yes" : "no");
    // CHECK: unmanaged caller's local: 42, stack moved: yes
    // On a new goroutine, whose stack is still small: 160 KiB of pointers.
    gostack::chan<long> done;
    gostack::go([done]() mutable { done.send(arrayOfPointers(20000)); });
    std::printf("array of pointers: %ld\n", done.recv());
    // CHECK: array of pointers: 30010
    return 0;
  });
}
