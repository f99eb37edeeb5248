// no-rewrite: analyse and report only. The IR pass is not registered, so no
// function is marked.
// RUN: %gostack_cxx -fplugin-arg-gostack-no-rewrite -S -emit-llvm -O0 %s -o - | FileCheck %s
// CHECK: define {{.*}} @_Z7managedv()
// CHECK-NOT: gostack-managed

[[gostack::managed]] int managed() { return 0; }
