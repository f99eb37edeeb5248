// C++ references hold addresses: binding one takes the address, using one
// dereferences it.
// RUN: %verify -fplugin-arg-gostack-m -Wno-return-stack-address %s

int *global;

[[gostack::managed]] int &passThrough(int &r) { return r; }
// expected-remark@-1 {{leaking param: r to result ~r0 level=0}}

[[gostack::managed]] int readReference(const int &r) { return r; }
// expected-remark@-1 {{r does not escape}}

[[gostack::managed]] void referenceToGlobal(int &r) { global = &r; }
// expected-remark@-1 {{leaking param: r}}

[[gostack::managed]] int bindLocal() {
  int x = 3;
  int &r = x;
  return r;
}

[[gostack::managed]] int *bindLocalEscapes() {
  int x = 3; // expected-remark {{moved to heap: x}}
  int &r = x;
  return &r;
}

[[gostack::managed]] int &returnLocalReference() {
  int x = 3; // expected-remark {{moved to heap: x}}
  return x;
}

[[gostack::managed]] int useReturnedReference() {
  int x = 3;
  return passThrough(x);
}

[[gostack::managed]] int *escapeThroughReference() {
  int x = 3; // expected-remark {{moved to heap: x}}
  return &passThrough(x);
}

// A reference parameter bound to a pointer: content flows.
[[gostack::managed]] void pointerByReference(int *&p) { global = p; }
// expected-remark@-1 {{leaking param content: p}}

// Lifetime-extended temporaries live in the frame.
[[gostack::managed]] int extendedTemporary() {
  const int &r = 42;
  return r;
}

// Assigning through a reference is a store through a pointer (the heap).
[[gostack::managed]] void assignThroughReference(int *&slot, int *v) {
  // expected-remark@-1 {{slot does not escape}}
  // expected-remark@-2 {{leaking param: v}}
  slot = v;
}
