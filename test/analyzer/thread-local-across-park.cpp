// gostack.ThreadLocalAcrossPark: after a call that may park the goroutine
// (GOSTACK_MAY_PARK) or a managed call (its stack check may yield), the
// goroutine may run on another thread: a thread_local used then is that
// thread's, and an address taken before is the first thread's. Managed
// code's uses are the plugin's warnings; this checker follows unmanaged
// code.
// RUN: %gostack_analyze \
// RUN:   -Xclang -analyzer-checker=gostack.ThreadLocalAcrossPark \
// RUN:   -Xclang -analyzer-output=text -Xclang -verify %s

#include <gostack/gostack.h>

[[gostack::managed]] void managedWork();
void unmanagedWork();

thread_local int perThread;

void addressAcrossPark(gostack::chan<int> &c) {
  int *mine = &perThread;
  // expected-note@+1 {{'recv' may park the goroutine; it may resume on another thread}}
  c.recv();
  // expected-warning@+2 {{thread_local 'perThread' used after 'gostack::chan<int>::recv', which may have resumed the goroutine on another thread: this is that thread's variable (per-goroutine state belongs in gostack::goroutine_local<T>)}}
  // expected-note@+1 {{thread_local 'perThread' used after 'gostack::chan<int>::recv'}}
  *mine += 1;
}

void useAfterManagedCall() {
  perThread = 1;
  // expected-note@+1 {{Call to managed function 'managedWork', whose stack check may yield; it may resume on another thread}}
  managedWork();
  // expected-warning@+2 {{thread_local 'perThread' used after 'managedWork'}}
  // expected-note@+1 {{thread_local 'perThread' used after 'managedWork'}}
  perThread += 1;
}

// Safe: used only before the park, or with unmanaged calls only.
void usedBefore(gostack::chan<int> &c) {
  perThread += 1;
  unmanagedWork();
  perThread += 1;
  c.send(perThread);
}

// Managed code: the plugin's own warning, not the checker's.
[[gostack::managed]] void managedUse(gostack::chan<int> &c) {
  c.recv();
  perThread += 1;
}
