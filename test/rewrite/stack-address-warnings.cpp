// Clang's -Wreturn-stack-address would mislead about a variable the plugin
// moves to the heap: it is dropped for exactly those variables, kept for
// unmanaged code, for a variable that cannot be moved, and under no-rewrite
// (where nothing moves).
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics %plugin \
// RUN:   %runtime_include %s 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=warning: --implicit-check-not=note:
// RUN: %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics %plugin \
// RUN:   %runtime_include -DNO_UNMOVABLE -fplugin-arg-gostack-no-rewrite %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOREWRITE

#include <gostack/gostack.h>

int *unmanaged() {
  int n = 1;
  // CHECK: stack-address-warnings.cpp:[[@LINE+2]]:{{[0-9]+}}: warning: address of stack memory associated with local variable 'n' returned
  // NOREWRITE: stack-address-warnings.cpp:[[@LINE+1]]:{{[0-9]+}}: warning: address of stack memory associated with local variable 'n' returned
  return &n;
}

[[gostack::managed]] int *managed() {
  int n = 2;
  // NOREWRITE: stack-address-warnings.cpp:[[@LINE+1]]:{{[0-9]+}}: warning: address of stack memory associated with local variable 'n' returned
  return &n;
}

[[gostack::managed]] int &parameter(int p) {
  // NOREWRITE: stack-address-warnings.cpp:[[@LINE+1]]:{{[0-9]+}}: warning: reference to stack memory associated with parameter 'p' returned
  return p;
}

// The warning's note ("captured by reference here") goes with it.
[[gostack::managed]] auto capture() {
  int counter = 0;
  // NOREWRITE: stack-address-warnings.cpp:[[@LINE+2]]:{{[0-9]+}}: warning: address of stack memory associated with local variable 'counter' returned
  // NOREWRITE-NEXT: note: captured by reference here
  return [&counter] { return ++counter; };
}

#ifndef NO_UNMOVABLE
// A variable that cannot move keeps its warning (and its note); the
// plugin's errors come first, the held warnings when the analysis is done.
// CHECK: stack-address-warnings.cpp:[[#ERROR1:]]:{{[0-9]+}}: error: 'e' must move to the heap but cannot
// CHECK: stack-address-warnings.cpp:[[#ERROR2:]]:{{[0-9]+}}: error: 'e' must move to the heap but cannot
// CHECK: stack-address-warnings.cpp:[[#ERROR1+1]]:{{[0-9]+}}: warning: address of stack memory associated with local variable 'e' returned
// CHECK: stack-address-warnings.cpp:[[#ERROR2+1]]:{{[0-9]+}}: warning: address of stack memory associated with local variable 'e' returned
// CHECK-NEXT: note: captured by reference here
[[gostack::managed]] int *caught() {
  try {
    throw 1;
  } catch (int e) {
    return &e;
  }
  return nullptr;
}

[[gostack::managed]] auto caughtCapture() {
  try {
    throw 1;
  } catch (int e) {
    return [&e] { return e; };
  }
  __builtin_unreachable();
}
#endif
