// Go's go statement and channel send: gostack::go's callable and arguments
// escape; a pointer sent on a channel escapes.
// RUN: %verify -fplugin-arg-gostack-m %s
// RUN: %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics %plugin %runtime_include -fplugin-arg-gostack-m=2 %s 2>&1 | FileCheck %s

#include <gostack/gostack.h>

#include <string>

// The go statement itself is the reason, as Go says.
// CHECK: goroutines.cpp:[[#@LINE+4]]:7: remark: moved to heap: count
// CHECK: note: from count (captured by a closure) at
// CHECK: note: from gostack::go([&] { count++; }) (go statement) at
[[gostack::managed]] void goCapturesByReference() {
  int count = 0;                 // expected-remark {{moved to heap: count}}
  gostack::go([&] { count++; }); // expected-remark {{lambda escapes to heap}}
}

[[gostack::managed]] void goCapturesByValue() {
  int count = 0;
  gostack::go(
      [count] { (void)count; }); // expected-remark {{lambda escapes to heap}}
}

[[gostack::managed]] void goArguments() {
  int x = 0; // expected-remark {{moved to heap: x}}
  gostack::go([](int *p) { (*p)++; },
              &x); // expected-remark@-1 {{lambda escapes to heap}}
  // expected-remark@-2 {{p does not escape}}
}

// A channel is a handle, as Go's: sending on it does not leak it.
// CHECK: goroutines.cpp:[[#@LINE+4]]:7: remark: moved to heap: x
// CHECK: note: from c.send(&x) (send) at
[[gostack::managed]] void
sendPointer(gostack::chan<int *> c) { // expected-remark {{c does not escape}}
  int x = 0;                          // expected-remark {{moved to heap: x}}
  c.send(&x);
}

[[gostack::managed]] void
sendValue(gostack::chan<int> c) { // expected-remark {{c does not escape}}
  int x = 0;
  c.send(x);
}

[[gostack::managed]] void sendAllocation(
    gostack::chan<int *> c) { // expected-remark {{c does not escape}}
  c.send(gostack::go_new<int>(
      1)); // expected-remark@-1 {{go_new<int>(...) escapes to heap}}
}

// go copies its arguments (decay-copy, as std::thread): the value escapes,
// not the variable that holds it. func f(p *int); go f(p) moves *p, not p.
void worker(int *);
[[gostack::managed]] void goPointerVariable() {
  int x = 0; // expected-remark {{moved to heap: x}}
  int *p = &x;
  gostack::go(worker, p);
}

// A string argument is copied into the goroutine: the local stays.
void greet(std::string);
[[gostack::managed]] void goStringArgument() {
  std::string name = "a name long enough to live in the malloc heap";
  gostack::go(greet, name);
}

// Receiving from a channel handle leaks nothing of it: func f(c chan int)
// { <-c } says "c does not escape".
[[gostack::managed]] int
receive(gostack::chan<int> c) { // expected-remark {{c does not escape}}
  return c.recv();
}

[[gostack::managed]] bool
receiveInto(gostack::chan<int> c, // expected-remark {{c does not escape}}
            int &out) {           // expected-remark {{out does not escape}}
  return c.recv(out);
}
