// C++ renderings of Go's test/escape_field.go. The analysis, like Go's, does
// not tell fields apart: the BAD cases are Go's own.
// RUN: %verify -fplugin-arg-gostack-m %s

int *sink;

struct X {
  int *p1;
  int *p2;
  int *a[2];
};

struct Y {
  X x;
};

X sinkX;
Y sinkY;

[[gostack::managed]] void field0() {
  int i = 0; // expected-remark {{moved to heap: i}}
  X x{};
  x.p1 = &i;
  sink = x.p1;
}

// BAD (as Go): &i should not escape.
[[gostack::managed]] void field1() {
  int i = 0; // expected-remark {{moved to heap: i}}
  X x{};
  x.p1 = &i;
  sink = x.p2;
}

[[gostack::managed]] void field3() {
  int i = 0; // expected-remark {{moved to heap: i}}
  X x{};
  x.p1 = &i;
  sinkX = x;
}

[[gostack::managed]] void field4() {
  int i = 0; // expected-remark {{moved to heap: i}}
  Y y{};
  y.x.p1 = &i;
  X x = y.x;
  sinkX = x;
}

// BAD (as Go): &i should not escape here.
[[gostack::managed]] void field5() {
  int i = 0; // expected-remark {{moved to heap: i}}
  X x{};
  x.a[0] = &i;
  sink = x.a[1];
}

// BAD (as Go): only x.p2 leaks, not what x.p1 points to.
[[gostack::managed]] void field6(X *x) { sink = x->p2; }
// expected-remark@-1 {{leaking param content: x}}

// BAD (as Go): &i should not escape.
[[gostack::managed]] void field6a() {
  int i = 0; // expected-remark {{moved to heap: i}}
  X x{};
  x.p1 = &i;
  field6(&x);
}

[[gostack::managed]] int field7() {
  int i = 0;
  Y y{};
  y.x.p1 = &i;
  X x = y.x;
  Y y1{};
  y1.x = x;
  return *y1.x.p1;
}

[[gostack::managed]] void field8() {
  int i = 0; // expected-remark {{moved to heap: i}}
  Y y{};
  y.x.p1 = &i;
  X x = y.x;
  Y y1{};
  y1.x = x;
  sink = y1.x.p1;
}

[[gostack::managed]] void field9() {
  int i = 0; // expected-remark {{moved to heap: i}}
  Y y{};
  y.x.p1 = &i;
  X x = y.x;
  Y y1{};
  y1.x = x;
  sinkY = y1;
}

// BAD (as Go): &i should not escape.
[[gostack::managed]] void field10() {
  int i = 0; // expected-remark {{moved to heap: i}}
  Y y{};
  y.x.p1 = &i;
  X x = y.x;
  Y y1{};
  y1.x = x;
  sink = y1.x.p2;
}

// Assigning a struct to a field of a parameter: Go's rule, a heap store.
[[gostack::managed]] void field11(Y *y) {
  // expected-remark@-1 {{y does not escape}}
  int i = 0; // expected-remark {{moved to heap: i}}
  X x{};
  x.p1 = &i;
  y->x = x;
}
