// What the rewrite cannot do, said clearly: a variable that must move to the
// heap but cannot is an error naming it and the reason; a go_new it cannot
// place in the frame is reported as escaping (it is), with the reason at m=2.
// RUN: %verify -fplugin-arg-gostack-m -Wno-return-stack-address \
// RUN:   -Wno-dangling-field %s
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics %plugin \
// RUN:   %runtime_include -fplugin-arg-gostack-m=2 -Wno-dangling-field %s 2>&1 \
// RUN:   | FileCheck %s

#include <gostack/gostack.h>

#include <utility>

struct Point {
  int x, y;
};
int *global;

[[gostack::managed]] void binding(std::pair<int, int> pair) {
  auto [a, b] = pair;
  // expected-remark@-1 {{moved to heap: [a, b]}}
  // expected-error@-2 {{'[a, b]' must move to the heap but cannot: moving a structured binding is not supported; bind a named variable instead}}
  global = &a;
}

[[gostack::managed]] void catcher() {
  try {
    throw 1;
  } catch (int e) {
    // expected-remark@-1 {{moved to heap: e}}
    // expected-error@-2 {{'e' must move to the heap but cannot: a catch parameter cannot be moved; copy it into a variable}}
    global = &e;
  }
}

[[gostack::managed]] void initCapture() {
  auto f = [x = 1]() mutable { global = &x; };
  // expected-remark@-1 {{lambda does not escape}}
  // expected-remark@-2 {{moved to heap: x}}
  // expected-error@-3 {{'x' must move to the heap but cannot: a lambda's init-capture cannot be moved}}
  f();
}

[[gostack::managed]] void tryBlock(int n) try {
  // expected-remark@-1 {{moved to heap: n}}
  // expected-error@-2 {{'n' must move to the heap but cannot: the function body is a function-try-block}}
  global = &n;
} catch (...) {
}

[[gostack::managed]] void bypassed(int k) {
  switch (k) {
  case 0:
    int x;
    // expected-remark@-1 {{moved to heap: x}}
    // expected-error@-2 {{'x' must move to the heap but cannot: a jump to a later case or label can bypass its declaration; declare it in a block of its own}}
    x = 1;
    global = &x;
    break;
  case 1:
    x = 2;
    global = &x;
    break;
  }
}

// Cases of a later switch and labels reached only from inside the scope
// cannot bypass the declaration: x moves.
[[gostack::managed]] void notBypassed(int k) {
  int x;
  // expected-remark@-1 {{moved to heap: x}}
  global = &x;
  switch (k) {
  case 0:
    break;
  }
again:
  if (k-- > 0)
    goto again;
}

struct Keeper {
  int *p;
  [[gostack::managed]] Keeper(int n) : p(&n) {}
  // expected-remark@-1 {{this does not escape}}
  // expected-remark@-2 {{moved to heap: n}}
  // expected-error@-3 {{'n' must move to the heap but cannot: the parameter is used in the member initialiser list}}
};

struct Pinned {
  int v;
  Pinned(int v) : v(v) {}
  Pinned(Pinned &&) = delete;
};
Pinned *pinned;
[[gostack::managed]] void pin(Pinned p) { pinned = &p; }
// expected-remark@-1 {{moved to heap: p}}
// expected-error@-2 {{'p' must move to the heap but cannot: its type 'Pinned' can be neither moved nor copied into the heap}}

// CHECK: limits.cpp:[[@LINE+2]]:{{[0-9]+}}: remark: go_new<Point>(...) escapes to heap
// CHECK-NEXT: note: cannot be placed in the frame: it is evaluated outside the function body (a default argument or a member initialiser)
int take(Point *p = gostack::go_new<Point>(1, 2)) { return p->x; }
// expected-remark@-1 {{go_new<Point>(...) escapes to heap}}
[[gostack::managed]] int defaults() { return take(); }

// CHECK: limits.cpp:[[@LINE+3]]:{{[0-9]+}}: remark: go_new<Point>(...) escapes to heap
// CHECK-NEXT: note: cannot be placed in the frame: the function body is a function-try-block
[[gostack::managed]] int tryReturn() try {
  return gostack::go_new<Point>(5, 6)->x;
  // expected-remark@-1 {{go_new<Point>(...) escapes to heap}}
} catch (...) {
  return 0;
}
