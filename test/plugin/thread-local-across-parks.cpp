// A goroutine may resume on another worker thread after a call that can
// park it (GOSTACK_MAY_PARK: channel operations, wait, yield, gc) or a call
// to a managed function (which may park, or be preempted at its stack
// check). A thread_local used after such a call is another thread's copy:
// the plugin warns once per variable and function, with a note at the
// call. werror makes it an error.
// RUN: %verify %s
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin %runtime_include \
// RUN:   -include gostack/gostack.h -fplugin-arg-gostack-werror %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=WERROR
// WERROR: thread-local-across-parks.cpp:25:18: error: thread_local 'counter' is used after 'gostack::chan<int>::recv'
// WERROR: 7 errors generated.

thread_local int counter;
thread_local int other;
int global;

[[gostack::managed]] void managedHelper() { global = 1; }
void unmanagedHelper() { global = 2; }

[[gostack::managed]] int afterReceive(gostack::chan<int> &c) {
  counter = 1; // before any park: this thread's own
  int value = c.recv();
  // expected-note@-1 {{'gostack::chan<int>::recv' can park the goroutine here}}
  return value + counter;
  // expected-warning@-1 {{thread_local 'counter' is used after 'gostack::chan<int>::recv', which can park the goroutine: it may resume on another thread, so this is another thread's copy; keep per-goroutine state in gostack::goroutine_local<T>}}
}

[[gostack::managed]] int oncePerVariable(gostack::wait_group &wg) {
  wg.wait();
  // expected-note@-1 2 {{'gostack::wait_group::wait' can park}}
  counter += 1;
  // expected-warning@-1 {{thread_local 'counter' is used after 'gostack::wait_group::wait'}}
  counter += 2;
  return other;
  // expected-warning@-1 {{thread_local 'other' is used after}}
}

[[gostack::managed]] int afterManagedCall() {
  managedHelper();
  // expected-note@-1 {{'managedHelper' can park}}
  return counter;
  // expected-warning@-1 {{thread_local 'counter' is used after 'managedHelper'}}
}

[[gostack::managed]] int inALoop(gostack::chan<int> &c) {
  int sum = 0;
  for (int i = 0; i < 3; ++i) {
    sum += counter;
    // expected-warning@-1 {{thread_local 'counter' is used after 'gostack::chan<int>::send'}}
    c.send(i);
    // expected-note@-1 {{'gostack::chan<int>::send' can park}}
  }
  return sum;
}

[[gostack::managed]] int afterYieldAndGc() {
  gostack::yield();
  // expected-note@-1 {{'gostack::yield' can park}}
  int a = counter;
  // expected-warning@-1 {{thread_local 'counter' is used after 'gostack::yield'}}
  return a;
}

[[gostack::managed]] int staticLocal() {
  thread_local int calls = 0;
  ++calls;
  gostack::gc();
  // expected-note@-1 {{'gostack::gc' can park}}
  return calls;
  // expected-warning@-1 {{thread_local 'calls' is used after 'gostack::gc'}}
}

// No warning: unmanaged callees cannot park, uses come before the park, a
// lambda's body is a function of its own, and unmanaged code is not read.
[[gostack::managed]] int quiet(gostack::chan<int> &c) {
  unmanagedHelper();
  int before = counter + other;
  auto later = [] { return counter; };
  c.send(before);
  return later();
}

int unmanaged(gostack::chan<int> &c) {
  c.recv();
  return counter;
}

// Per-goroutine state instead: no warning.
gostack::goroutine_local<int> perGoroutine;
[[gostack::managed]] int withGoroutineLocal(gostack::chan<int> &c) {
  c.recv();
  return perGoroutine.get();
}
