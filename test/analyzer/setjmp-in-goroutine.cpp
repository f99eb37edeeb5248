// gostack.SetjmpInGoroutine: setjmp saves the stack pointer in its jmp_buf;
// the stack copier adjusts a jmp_buf in the goroutine's stack (and one in a
// moved local), not one in a global or the heap. longjmp through such a
// buffer after a managed call -- whose stack check may move the stack --
// jumps to the old stack.
// RUN: %gostack_analyze -Xclang -analyzer-checker=gostack.SetjmpInGoroutine \
// RUN:   -Xclang -analyzer-output=text -Xclang -verify %s

#include <gostack/gostack.h>

#include <csetjmp>

[[gostack::managed]] void managedWork();
void unmanagedWork();

std::jmp_buf globalBuffer;

void globalJumpBuffer(bool fail) {
  // expected-note@+3 {{The jmp_buf 'globalBuffer', outside the goroutine's stack, saves the stack pointer}}
  // expected-note@+2 {{Assuming the condition is false}}
  // expected-note@+1 {{Taking false branch}}
  if (setjmp(globalBuffer))
    return;
  // expected-note@+1 {{Call to managed function 'managedWork', whose stack check may move the goroutine's stack}}
  managedWork();
  // expected-note@+2 {{Assuming 'fail' is true}}
  // expected-note@+1 {{Taking true branch}}
  if (fail)
    // expected-warning@+2 {{longjmp to 'globalBuffer' after the call to managed function 'managedWork', which may have moved the goroutine's stack: it would jump to the old stack (keep the jmp_buf in a local variable)}}
    // expected-note@+1 {{longjmp to 'globalBuffer' after the call to managed function 'managedWork'}}
    std::longjmp(globalBuffer, 1);
}

// Safe: a jmp_buf in the frame moves with the stack.
void localJumpBuffer(bool fail) {
  std::jmp_buf local;
  if (setjmp(local))
    return;
  managedWork();
  if (fail)
    std::longjmp(local, 1);
}

// Safe: no managed call between setjmp and longjmp.
void noManagedCall(bool fail) {
  if (setjmp(globalBuffer))
    return;
  unmanagedWork();
  if (fail)
    std::longjmp(globalBuffer, 1);
}
