// The IR pass runs at every optimisation level and marks exactly the managed
// functions: both spellings, constructors, lambdas defined in managed
// functions, and instantiations of managed templates.
// RUN: %gostack_cxx -S -emit-llvm -O0 %s -o %t.O0.ll
// RUN: FileCheck %s --allow-deprecated-dag-overlap < %t.O0.ll
// RUN: FileCheck %s --check-prefix=UNMANAGED < %t.O0.ll
// RUN: %gostack_cxx -S -emit-llvm -O2 %s -o %t.O2.ll
// RUN: FileCheck %s --allow-deprecated-dag-overlap < %t.O2.ll
// RUN: FileCheck %s --check-prefix=UNMANAGED < %t.O2.ll
// Without the plugin, nothing is marked.
// RUN: %plain_cxx -S -emit-llvm -O0 -Wno-unknown-attributes %s -o - | FileCheck %s --check-prefix=PLAIN

#include <gostack/gostack.h>

#define NOINLINE __attribute__((noinline))

// CHECK-DAG: define {{.*}} @_Z7managedi({{.*}}) {{.*}}#[[ATTRS1:[0-9]+]]
[[gostack::managed]] NOINLINE int managed(int x) { return x + 1; }

// CHECK-DAG: define {{.*}} @_Z13headerManagedi({{.*}}) {{.*}}#[[ATTRS2:[0-9]+]]
GOSTACK_MANAGED NOINLINE int headerManaged(int x) { return x + 2; }

// UNMANAGED: define {{.*}} @_Z9unmanagedi({{.*}}) {{.*}}#[[UATTRS:[0-9]+]]
NOINLINE int unmanaged(int x) { return x + 3; }

struct Counter {
  int count;
  // CHECK-DAG: define {{.*}} @_ZN7CounterC2Ei({{.*}}) {{.*}}#[[ATTRS3:[0-9]+]]
  [[gostack::managed]] NOINLINE Counter(int start) : count(start) {}
  // CHECK-DAG: define {{.*}} @_ZN7Counter4stepEv({{.*}}) {{.*}}#[[ATTRS4:[0-9]+]]
  [[gostack::managed]] NOINLINE int step() {
    // CHECK-DAG: define {{.*}} @_ZZN7Counter4stepEvENKUlvE_clEv({{.*}}) {{.*}}#[[ATTRS5:[0-9]+]]
    auto bump = [this]() NOINLINE { return ++count; };
    return bump();
  }
};

// CHECK-DAG: define {{.*}} @_Z9templatedIiET_S0_({{.*}}) {{.*}}#[[ATTRS6:[0-9]+]]
template <class T> [[gostack::managed]] NOINLINE T templated(T t) { return t; }

int main() {
  Counter counter(1);
  return managed(1) + headerManaged(2) + unmanaged(3) + counter.step() +
         templated(4);
}

// CHECK-DAG: attributes #[[ATTRS1]] = { {{.*}}"gostack-managed"
// CHECK-DAG: attributes #[[ATTRS2]] = { {{.*}}"gostack-managed"
// CHECK-DAG: attributes #[[ATTRS3]] = { {{.*}}"gostack-managed"
// CHECK-DAG: attributes #[[ATTRS4]] = { {{.*}}"gostack-managed"
// CHECK-DAG: attributes #[[ATTRS5]] = { {{.*}}"gostack-managed"
// CHECK-DAG: attributes #[[ATTRS6]] = { {{.*}}"gostack-managed"

// UNMANAGED: attributes #[[UATTRS]] = {
// UNMANAGED-NOT: gostack-managed
// UNMANAGED-SAME: }

// PLAIN-NOT: gostack-managed
