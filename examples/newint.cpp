// newInt and leak: pointers returned to the caller.
//
// The Go originals:
//
//   func newInt() *int {
//       return new(int)      // new(int) escapes to heap
//   }
//
//   func leak() *int {
//       n := 7
//       return &n            // moved to heap: n
//   }
//
// In C++ `return &n;` is a dangling pointer. In a managed function the
// plugin moves n to the GC heap instead, so the program is correct.

#include <gostack/gostack.h>

#include <cstdio>

[[gostack::managed]] int *newInt() { return gostack::go_new<int>(); }

[[gostack::managed]] int *leak() {
  int n = 7;
  return &n;
}

// Overwrites the stack where leak's frame was.
[[gostack::managed]] int scribble(int depth) {
  volatile int junk[64];
  for (int &j : const_cast<int(&)[64]>(junk))
    j = depth;
  return depth ? scribble(depth - 1) + junk[0] : 0;
}

int main() {
  int *fresh = newInt();
  int *leaked = leak();
  scribble(8);
  std::printf("*newInt() = %d, *leak() = %d\n", *fresh, *leaked);
  return *fresh == 0 && *leaked == 7 ? 0 : 1;
}
