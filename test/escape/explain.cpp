// m=2 explains every escape with Go's notes: one "flow: DST = SRC" per
// step and "from EXPR (REASON) at FILE:LINE:COL" per operation, in Go's
// order.
// RUN: %verify=explain -fplugin-arg-gostack-m=2 -Wno-return-stack-address %s
// RUN: %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics %plugin %runtime_include -include gostack/gostack.h -fplugin-arg-gostack-m=2 -Wno-return-stack-address %s 2>&1 | FileCheck %s

int *global;

[[gostack::managed]] int *leak() {
  int n = 7; // explain-remark {{moved to heap: n}}
  // explain-note@-1 {{flow: ~r0 = &n}}
  // explain-note@-2 {{from &n (address-of) at}}
  // explain-note@-3 {{from return &n (return) at}}
  return &n;
}
// CHECK: explain.cpp:10:7: remark: moved to heap: n
// CHECK-NEXT: explain.cpp:10:7: note: flow: ~r0 = &n
// CHECK-NEXT: explain.cpp:10:7: note: from &n (address-of) at {{.*}}explain.cpp:14:10
// CHECK-NEXT: explain.cpp:10:7: note: from return &n (return) at {{.*}}explain.cpp:14:3

[[gostack::managed]] void toGlobal(int *p) { global = p; }
// explain-remark@-1 {{leaking param: p}}
// explain-note@-2 {{flow: {heap} = p}}
// explain-note@-3 {{from global = p (assign) at}}
// CHECK: explain.cpp:21:41: remark: leaking param: p
// CHECK-NEXT: explain.cpp:21:41: note: flow: {heap} = p

[[gostack::managed]] int *twoSteps() {
  int x = 0; // explain-remark {{moved to heap: x}}
  // explain-note@-1 {{flow: p = &x}}
  // explain-note@-2 {{flow: ~r0 = p}}
  // explain-note@-3 {{from &x (address-of) at}}
  // explain-note@-4 {{from return p (return) at}}
  int *p = &x;
  return p;
}

// Nothing to explain when nothing escapes.
[[gostack::managed]] int stays() {
  int x = 1;
  int *p = &x;
  return *p;
}
