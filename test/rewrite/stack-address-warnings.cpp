// Clang's -Wreturn-stack-address would mislead about a variable the plugin
// moves to the heap: it is dropped for exactly those variables, kept for
// unmanaged code, for a variable that cannot be moved, and under no-rewrite
// (where nothing moves).
// RUN: not %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics %plugin \
// RUN:   %runtime_include %s 2>&1 | FileCheck %s --implicit-check-not=warning:
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

#ifndef NO_UNMOVABLE
[[gostack::managed]] int *caught() {
  try {
    throw 1;
    // CHECK: stack-address-warnings.cpp:[[@LINE+1]]:{{[0-9]+}}: error: 'e' must move to the heap but cannot
  } catch (int e) {
    // CHECK: stack-address-warnings.cpp:[[@LINE+1]]:{{[0-9]+}}: warning: address of stack memory associated with local variable 'e' returned
    return &e;
  }
  return nullptr;
}
#endif
