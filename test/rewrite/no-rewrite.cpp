// no-rewrite: analysis and remarks only; the IR is the IR of a build
// without the plugin, at -O0 and at -O2 (managed functions of every kind,
// go_new that stays and escapes, a moved variable).
// RUN: %clangxx -std=c++20 -O0 -S -emit-llvm -Wno-unknown-attributes %plugin \
// RUN:   -fplugin-arg-gostack-no-rewrite -fplugin-arg-gostack-m %runtime_include \
// RUN:   %s -o %t.plugin-O0.ll 2>&1 | FileCheck %s --check-prefix=REMARKS
// RUN: %clangxx -std=c++20 -O0 -S -emit-llvm -Wno-unknown-attributes \
// RUN:   %runtime_include %s -o %t.plain-O0.ll
// RUN: diff %t.plugin-O0.ll %t.plain-O0.ll
// RUN: %clangxx -std=c++20 -O2 -S -emit-llvm -Wno-unknown-attributes %plugin \
// RUN:   -fplugin-arg-gostack-no-rewrite %runtime_include %s -o %t.plugin-O2.ll
// RUN: %clangxx -std=c++20 -O2 -S -emit-llvm -Wno-unknown-attributes \
// RUN:   %runtime_include %s -o %t.plain-O2.ll
// RUN: diff %t.plugin-O2.ll %t.plain-O2.ll

#include <gostack/gostack.h>

struct Point {
  int x, y;
};
void sink(Point *);

// REMARKS: remark: go_new<Point>(...) does not escape
[[gostack::managed]] int stays() {
  Point *p = gostack::go_new<Point>(1, 2);
  return p->x + p->y;
}

// REMARKS: remark: go_new<Point>(...) escapes to heap
GOSTACK_MANAGED void escapes() { sink(gostack::go_new<Point>(3, 4)); }

// REMARKS: remark: moved to heap: n
[[gostack::managed]] int *moved() {
  int n = 7;
  return &n;
}

template <class T> [[gostack::managed]] T twice(T v) {
  auto doubled = [&] { return v + v; };
  return doubled();
}

int use() { return twice(21) + stays(); }
