// Every argument of CONTRACT section 2 is accepted; an unknown one is an
// error that lists the valid ones.
// RUN: %verify -fplugin-arg-gostack-m %s
// RUN: %verify -fplugin-arg-gostack-m=2 %s
// RUN: %verify -fplugin-arg-gostack-m=3 %s
// RUN: %verify -fplugin-arg-gostack-managed=all %s
// RUN: %verify -fplugin-arg-gostack-no-rewrite %s
// RUN: %verify -fplugin-arg-gostack-no-stack-maps %s
// RUN: %verify -fplugin-arg-gostack-werror %s
// RUN: %verify -fplugin-arg-gostack-m -fplugin-arg-gostack-managed=all -fplugin-arg-gostack-no-rewrite -fplugin-arg-gostack-werror %s
// RUN: not %clangxx -fsyntax-only %plugin -fplugin-arg-gostack-bogus %s 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not %clangxx -fsyntax-only %plugin -fplugin-arg-gostack-m=4 %s 2>&1 | FileCheck %s --check-prefix=LEVEL
// expected-no-diagnostics

// UNKNOWN: error: unknown gostack plugin argument 'bogus'; valid arguments are: m, m=2, m=3, managed=all, no-rewrite, no-stack-maps, werror, json=DIR (each passed as -fplugin-arg-gostack-ARG)
// LEVEL: error: unknown gostack plugin argument 'm=4'; valid arguments are: m, m=2, m=3, managed=all, no-rewrite, no-stack-maps, werror, json=DIR

[[gostack::managed]] int f() { return 0; }
