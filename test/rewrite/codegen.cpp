// What the rewrite does to the generated code, before and after LLVM's
// optimiser: a go_new that does not escape is built in a frame slot (no
// allocator call), one that escapes and a moved variable are allocated in
// the GC heap. (Without stack maps, which would wrap each call in a
// statepoint: test/stackmaps/ checks those.)
// RUN: %clangxx -std=c++20 -O0 -S -emit-llvm -fno-discard-value-names %plugin \
// RUN:   -fplugin-arg-gostack-no-stack-maps %runtime_include %s -o - \
// RUN:   | FileCheck %s --check-prefixes=CHECK,O0
// RUN: %clangxx -std=c++20 -O2 -S -emit-llvm -fno-discard-value-names %plugin \
// RUN:   -fplugin-arg-gostack-no-stack-maps %runtime_include %s -o - \
// RUN:   | FileCheck %s --check-prefixes=CHECK,O2

#include <gostack/gostack.h>

struct Point {
  int x, y;
};
struct Named {
  int id;
  ~Named();
};
void sink(Point *);

// Unmanaged code is left alone. (Code generation emits it first: managed
// definitions wait for the analysis.)
// CHECK-LABEL: define {{.*}} @_Z9unmanagedv(
// O0: call {{.*}} @_ZN7gostack6go_newI5PointJiiEEEPT_DpOT0_(
// O2: call {{.*}} @_ZN7gostack6detail8gc_allocEmmPKmPFvPvE(
int unmanaged() {
  Point *p = gostack::go_new<Point>(5, 6);
  return p->x;
}

// CHECK-LABEL: define {{.*}} @_Z5staysv(
// O0: %__gostack_slot0 = alloca [8 x i8], align 4
// O0: call {{.*}} @_ZN7gostack6detail9constructI5PointJiiEEEPT_PvPNS0_14lifetime_ownerEDpOT0_(ptr {{.*}}, ptr noundef null,
// CHECK-NOT: gc_alloc
// CHECK-NOT: go_new
// O2: ret i32 3
// CHECK: {{^}$}}
[[gostack::managed]] int stays() {
  Point *p = gostack::go_new<Point>(1, 2);
  return p->x + p->y;
}

// CHECK-LABEL: define {{.*}} @_Z7escapesv(
// O0: call {{.*}} @_ZN7gostack6go_newI5PointJiiEEEPT_DpOT0_(
// O2: call {{.*}} @_ZN7gostack6detail8gc_allocEmmPKmPFvPvE(i64 noundef 8, i64 noundef 4, ptr {{.*}}@_ZN7gostack6detail11pointer_mapI5PointEE, ptr {{.*}}null)
// CHECK: call void @_Z4sinkP5Point(
[[gostack::managed]] void escapes() { sink(gostack::go_new<Point>(3, 4)); }

// CHECK-LABEL: define {{.*}} @_Z5movedv(
// CHECK-NOT: alloca i32
// CHECK: [[N:%[a-z.0-9]+]] = {{.*}}call noundef ptr @_ZN7gostack6detail14gc_alloc_frameEmm(i64 noundef 4, i64 noundef 4)
// CHECK-NEXT: store i32 7, ptr [[N]]
// O2-NEXT: ret ptr [[N]]
[[gostack::managed]] int *moved() {
  int n = 7;
  return &n;
}

// One slot for the loop, reused by every iteration; the owner destroys the
// previous object on reuse and the last at the end, also when unwinding.
// CHECK-LABEL: define {{.*}} @_Z4loopi(
// CHECK: %__gostack_slot0 = alloca [4 x i8], align 4
// O0: %__gostack_owner0 = alloca %"class.gostack::detail::lifetime_owner"
// O0: invoke {{.*}} @_ZN7gostack6detail9constructI5NamedJRiEEEPT_PvPNS0_14lifetime_ownerEDpOT0_(ptr {{.*}}, ptr noundef %__gostack_owner0,
// O0: call void @_ZN7gostack6detail14lifetime_ownerD2Ev(ptr {{.*}} %__gostack_owner0)
// O2: call void @_ZN5NamedD1Ev(ptr {{.*}} %__gostack_slot0)
// CHECK-NOT: gc_alloc
// CHECK: {{^}$}}
[[gostack::managed]] int loop(int count) {
  int total = 0;
  for (int i = 0; i < count; ++i)
    total += gostack::go_new<Named>(i)->id;
  return total;
}
