// The plugin runs under -fsyntax-only (how an editor integration would run
// it), where there is no code generation and so no IR pass.
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin %s 2>&1 | FileCheck %s
// CHECK: error: 'gostack::managed' only applies to functions
// CHECK-NOT: error:

[[gostack::managed]] int notAFunction;
[[gostack::managed]] int aFunction() { return 0; }
