// Objects are field-insensitive: x.f is x. Copies and moves of structs that
// hold pointers carry the pointers along.
// RUN: %verify -fplugin-arg-gostack-m %s

#include <utility>

int *global;

struct Holder {
  int *p;
  int n;
};

struct Pair {
  Holder first, second;
};

[[gostack::managed]] Holder wrap(int *p) { return Holder{p, 1}; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=0}}

[[gostack::managed]] Holder wrapLocal() {
  int x = 0; // expected-remark {{moved to heap: x}}
  Holder h{&x, 1};
  return h;
}

[[gostack::managed]] int holdLocal() {
  int x = 0;
  Holder h{&x, 1};
  return *h.p;
}

[[gostack::managed]] int *unwrap(Holder h) { return h.p; }
// expected-remark@-1 {{leaking param: h to result ~r0 level=0}}

[[gostack::managed]] int *unwrapPointer(Holder *h) { return h->p; }
// expected-remark@-1 {{leaking param: h to result ~r0 level=1}}

[[gostack::managed]] int count(const Holder *h) { return h->n; }
// expected-remark@-1 {{h does not escape}}

[[gostack::managed]] Holder copy() {
  int x = 0; // expected-remark {{moved to heap: x}}
  Holder a{&x, 1};
  Holder b = a;
  return b;
}

[[gostack::managed]] Holder move() {
  int x = 0; // expected-remark {{moved to heap: x}}
  Holder a{&x, 1};
  Holder b = std::move(a);
  return b;
}

[[gostack::managed]] void assignField(Holder h) {
  // expected-remark@-1 {{leaking param: h}}
  int x = 0; // expected-remark {{moved to heap: x}}
  h.p = &x;
  global = h.p;
}

[[gostack::managed]] int assignFieldStays() {
  int x = 0;
  Holder h{nullptr, 0};
  h.p = &x;
  return *h.p;
}

// Nested objects are one object.
[[gostack::managed]] int *nested() {
  int x = 0; // expected-remark {{moved to heap: x}}
  Pair p{};
  p.second.p = &x;
  return p.second.p;
}

// Storing into a field of a pointed-to object is a store to the heap.
[[gostack::managed]] void storeThroughPointer(Holder *h, int *v) {
  // expected-remark@-1 {{h does not escape}}
  // expected-remark@-2 {{leaking param: v}}
  h->p = v;
}
