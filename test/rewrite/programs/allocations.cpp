// The rewrite happens exactly where the remarks say: a go_new that "does not
// escape" makes no heap allocation, one that "escapes to heap" and a variable
// "moved to heap" make one each -- counted with read_mem_stats().mallocs
// around each managed function, one per construct category of the escape
// suite. -verify checks the remarks of this very build.
// RUN: %gostack_cxx -fplugin-arg-gostack-m -Xclang -verify \
// RUN:   -Wno-return-stack-address %s -o %t %gostack_link
// RUN: %t | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

struct Point {
  int x, y;
};
struct Node {
  int value;
  Node *next;
};

int *global;
Point *kept;

static long mallocsDuring(void (*body)()) {
  std::uint64_t before = gostack::read_mem_stats().mallocs;
  body();
  return static_cast<long>(gostack::read_mem_stats().mallocs - before);
}

// Basics: a pointer used locally stays; returned or stored globally escapes.
[[gostack::managed]] int local() {
  Point *p = gostack::go_new<Point>(1, 2);
  // expected-remark@-1 {{go_new<Point>(...) does not escape}}
  return p->x + p->y;
}
[[gostack::managed]] Point *returned() {
  return gostack::go_new<Point>(3, 4);
  // expected-remark@-1 {{go_new<Point>(...) escapes to heap}}
}
[[gostack::managed]] void stored() {
  kept = gostack::go_new<Point>(5, 6);
  // expected-remark@-1 {{go_new<Point>(...) escapes to heap}}
}

// Loops: one frame slot, reused by every iteration.
[[gostack::managed]] int loop() {
  int total = 0;
  for (int i = 0; i < 1000; ++i) {
    Point *p = gostack::go_new<Point>(i, i);
    // expected-remark@-1 {{go_new<Point>(...) does not escape}}
    total += p->x;
  }
  return total;
}

// Calls: passed to a callee that does not keep it.
int sum(const Point *p) { return p->x + p->y; }
[[gostack::managed]] int passed() {
  return sum(gostack::go_new<Point>(7, 8));
  // expected-remark@-1 {{go_new<Point>(...) does not escape}}
}

// Structs: linked through a local list, nothing leaves the frame.
[[gostack::managed]] int list() {
  Node *second = gostack::go_new<Node>(2, nullptr);
  // expected-remark@-1 {{go_new<Node>(...) does not escape}}
  Node *first = gostack::go_new<Node>(1, second);
  // expected-remark@-1 {{go_new<Node>(...) does not escape}}
  int total = 0;
  for (Node *n = first; n; n = n->next)
    total += n->value;
  return total;
}

// Lambdas: captured by a lambda that does not escape.
[[gostack::managed]] int captured() {
  Point *p = gostack::go_new<Point>(9, 10);
  // expected-remark@-1 {{go_new<Point>(...) does not escape}}
  auto get = [p] { return p->x; };
  // expected-remark@-1 {{lambda does not escape}}
  return get();
}
// ... and by one that escapes into a std::function.
[[gostack::managed]] std::function<int()> closure() {
  int counter = 0;
  // expected-remark@-1 {{moved to heap: counter}}
  return [&counter] { return ++counter; };
  // expected-remark@-1 {{lambda escapes to heap}}
}

// Templates: each instantiation is rewritten.
template <class T> [[gostack::managed]] T boxed(T v) {
  T *box = gostack::go_new<T>(v);
  // expected-remark@-1 {{go_new<T>(...) does not escape}}
  return *box;
}

// Variables: a local and a parameter whose address escapes move to the heap.
[[gostack::managed]] int *leakLocal() {
  int n = 11;
  // expected-remark@-1 {{moved to heap: n}}
  return &n;
}
[[gostack::managed]] void leakParam(int n) { global = &n; }
// expected-remark@-1 {{moved to heap: n}}

// Standard library: a vector's buffer is heap memory, so what it holds
// escapes.
[[gostack::managed]] std::size_t inVector() {
  std::vector<Point *> points;
  points.push_back(gostack::go_new<Point>(1, 1));
  // expected-remark@-1 {{go_new<Point>(...) escapes to heap}}
  return points.size();
}

// Arrays: a local array of pointers keeps its go_new objects in the frame;
// an array whose address escapes moves, as one object.
[[gostack::managed]] int pointerArray() {
  Point *first = gostack::go_new<Point>(1, 2);
  // expected-remark@-1 {{go_new<Point>(...) does not escape}}
  Point *points[2] = {first, gostack::go_new<Point>(3, 4)};
  // expected-remark@-1 {{go_new<Point>(...) does not escape}}
  return points[0]->x + points[1]->y;
}
[[gostack::managed]] int *movedArray() {
  int values[4] = {1, 2, 3, 4};
  // expected-remark@-1 {{moved to heap: values}}
  return &values[2];
}

// Fields and classes: stored in a field of a local object, read through a
// member function.
struct Holder {
  Point *point;
  int sum() const { return point->x + point->y; }
};
[[gostack::managed]] int field() {
  Holder holder{gostack::go_new<Point>(5, 6)};
  // expected-remark@-1 {{go_new<Point>(...) does not escape}}
  return holder.sum();
}

// References: bound to a reference parameter that does not keep it.
int byReference(const Point &p) { return p.x; }
[[gostack::managed]] int reference() {
  return byReference(*gostack::go_new<Point>(7, 8));
  // expected-remark@-1 {{go_new<Point>(...) does not escape}}
}

// Large objects: over 64 KiB go_new goes to the heap even when it stays.
struct Big {
  char bytes[65 * 1024];
};
[[gostack::managed]] char big() {
  Big *b = gostack::go_new<Big>();
  // expected-remark@-1 {{go_new<Big>(...) escapes to heap}}
  return b->bytes[0];
}
// ... and a local over 128 KiB moves even when its address stays.
[[gostack::managed]] char bigLocal() {
  char bytes[129 * 1024] = {};
  // expected-remark@-1 {{moved to heap: bytes}}
  bytes[7] = 'g';
  return bytes[7];
}

int main() {
  struct Case {
    const char *name;
    void (*body)();
  } cases[] = {
      {"local", [] { local(); }},
      {"returned", [] { returned(); }},
      {"stored", [] { stored(); }},
      {"loop", [] { loop(); }},
      {"passed", [] { passed(); }},
      {"list", [] { list(); }},
      {"captured", [] { captured(); }},
      {"closure", [] { closure(); }},
      {"template", [] { (void)(boxed(12) + boxed(13.0)); }},
      {"leakLocal", [] { leakLocal(); }},
      {"leakParam", [] { leakParam(14); }},
      {"pointerArray", [] { pointerArray(); }},
      {"movedArray", [] { movedArray(); }},
      {"field", [] { field(); }},
      {"reference", [] { reference(); }},
      {"big", [] { big(); }},
      {"bigLocal", [] { bigLocal(); }},
  };
  for (const Case &c : cases)
    std::printf("%s: %ld\n", c.name, mallocsDuring(c.body));
  std::printf("inVector: %ld\n", mallocsDuring([] { inVector(); }));
  std::printf("values: %d %d\n", *movedArray(), bigLocal());
  // CHECK: local: 0
  // CHECK-NEXT: returned: 1
  // CHECK-NEXT: stored: 1
  // CHECK-NEXT: loop: 0
  // CHECK-NEXT: passed: 0
  // CHECK-NEXT: list: 0
  // CHECK-NEXT: captured: 0
  // CHECK-NEXT: closure: 1
  // CHECK-NEXT: template: 0
  // CHECK-NEXT: leakLocal: 1
  // CHECK-NEXT: leakParam: 1
  // CHECK-NEXT: pointerArray: 0
  // CHECK-NEXT: movedArray: 1
  // CHECK-NEXT: field: 0
  // CHECK-NEXT: reference: 0
  // CHECK-NEXT: big: 1
  // CHECK-NEXT: bigLocal: 1
  // CHECK-NEXT: inVector: 1
  // CHECK-NEXT: values: 3 103
}
