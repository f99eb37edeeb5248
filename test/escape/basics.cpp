// Address-of, dereference, results and globals: the core of Go's
// escape2.go, in C++.
// RUN: %verify -fplugin-arg-gostack-m -Wno-return-stack-address %s

int *global;
int **globalPP;

[[gostack::managed]] int *identity(int *p) { return p; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=0}}

[[gostack::managed]] int readThrough(int **pp) { return **pp; }
// expected-remark@-1 {{pp does not escape}}

[[gostack::managed]] int *derefResult(int **pp) { return *pp; }
// expected-remark@-1 {{leaking param: pp to result ~r0 level=1}}

[[gostack::managed]] void toGlobal(int *p) { global = p; }
// expected-remark@-1 {{leaking param: p}}

[[gostack::managed]] void contentToGlobal(int **pp) { global = *pp; }
// expected-remark@-1 {{leaking param content: pp}}

[[gostack::managed]] void addressToGlobal(int *p) { globalPP = &p; }
// expected-remark@-1 {{moved to heap: p}}

[[gostack::managed]] int *returnLocal() {
  int x = 1; // expected-remark {{moved to heap: x}}
  return &x;
}

[[gostack::managed]] int keepLocal() {
  int x = 1;
  int *p = &x;
  int **pp = &p;
  return **pp;
}

[[gostack::managed]] void storeLocalInGlobal() {
  int x = 0; // expected-remark {{moved to heap: x}}
  global = &x;
}

// Flow-insensitive: escaping on one path escapes on all.
[[gostack::managed]] void maybe(bool publish) {
  int x = 0; // expected-remark {{moved to heap: x}}
  if (publish)
    global = &x;
}

// Through a chain of locals.
[[gostack::managed]] int *chain() {
  int x = 0; // expected-remark {{moved to heap: x}}
  int *a = &x;
  int *b = a;
  int *c = b;
  return c;
}

// Taking the address of a pointer variable does not move what it points to.
[[gostack::managed]] int **pointerToLocalPointer(int *p) {
  // expected-remark@-1 {{leaking param: p}}
  int *q = p; // expected-remark {{moved to heap: q}}
  return &q;
}

[[gostack::managed]] int *conditional(bool c, int *a, int *b) {
  // expected-remark@-1 {{leaking param: a to result ~r0 level=0}}
  // expected-remark@-2 {{leaking param: b to result ~r0 level=0}}
  return c ? a : b;
}

// Pointer arithmetic and indexing stay within the same object.
[[gostack::managed]] int *arithmetic(int *a) { return a + 1; }
// expected-remark@-1 {{leaking param: a to result ~r0 level=0}}

[[gostack::managed]] int *indexing(int *a) { return &a[2]; }
// expected-remark@-1 {{leaking param: a to result ~r0 level=0}}

[[gostack::managed]] int localArray() {
  int arr[4] = {1, 2, 3, 4};
  int *p = &arr[2];
  return *p;
}

[[gostack::managed]] int *localArrayEscapes() {
  int arr[4] = {1, 2, 3, 4}; // expected-remark {{moved to heap: arr}}
  return &arr[2];
}

// An array of pointers: storing into it is storing into the array.
[[gostack::managed]] void arrayOfPointers(int *a) {
  // expected-remark@-1 {{leaking param: a}}
  int *arr[2] = {nullptr, nullptr};
  arr[1] = a;
  global = arr[1];
}

[[gostack::managed]] int arrayOfPointersStays() {
  int x = 1;
  int *arr[2] = {&x, &x};
  return *arr[0];
}

// Values without pointers carry no address.
[[gostack::managed]] int scalars(int a, double b) { return a + int(b); }

// Casts that keep a pointer a pointer pass it on.
[[gostack::managed]] int *staticCast(void *v) { return static_cast<int *>(v); }
// expected-remark@-1 {{leaking param: v to result ~r0 level=0}}

[[gostack::managed]] int *reinterpret(long *v) {
  // expected-remark@-1 {{leaking param: v to result ~r0 level=0}}
  return reinterpret_cast<int *>(v);
}

[[gostack::managed]] int *constCast(const int *v) {
  return const_cast<int *>(v);
}
// expected-remark@-3 {{leaking param: v to result ~r0 level=0}}

// Assignment through a pointer goes to the heap, as in Go.
[[gostack::managed]] void storeThrough(int **pp, int *v) {
  // expected-remark@-1 {{pp does not escape}}
  // expected-remark@-2 {{leaking param: v}}
  *pp = v;
}

// Self-assignment adds nothing.
[[gostack::managed]] void selfAssign(int *p) {
  // expected-remark@-1 {{p does not escape}}
  p = p;
}
