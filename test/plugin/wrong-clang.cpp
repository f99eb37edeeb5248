// Loaded into a Clang other than the one it was built for (Debian's
// /usr/bin/clang++ is Clang 14), the plugin stops the compile with a message
// naming both versions and the compiler to use, instead of crashing.
// REQUIRES: other-clang
// RUN: not %other_clangxx -fplugin=%plugin_file -fsyntax-only %s 2>&1 | FileCheck %s
// RUN: not %other_clangxx -fplugin=%plugin_file -c %s -o %t.o 2>&1 | FileCheck %s

// CHECK: error: gostack plugin: built for Clang 19.{{[0-9.]+}} but loaded into {{.*}}clang version {{[0-9]+}}.{{[0-9.]+}} ({{.*}}); a plugin only runs inside the Clang it was built for: compile with {{.*}}/clang++
// CHECK-NOT: PLEASE submit a bug report
// CHECK-NOT: Stack dump

int main() { return 0; }
