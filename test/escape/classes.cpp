// Constructors, member functions, `this` and overloaded operators. `this` is
// a parameter named this. A constructor's new object is its result, so what
// it stores in the object "leaks to result", as a Go constructor function
// returning a struct would.
// RUN: %verify -fplugin-arg-gostack-m %s

int *global;

struct Counter {
  int *slot;
  int count = 0;

  [[gostack::managed]] Counter(int *s) : slot(s) {}
  // expected-remark@-1 {{this does not escape}}
  // expected-remark@-2 {{leaking param: s to result ~r0 level=0}}

  [[gostack::managed]] int get() const { return count; }
  // expected-remark@-1 {{this does not escape}}

  [[gostack::managed]] void publish() { global = slot; }
  // expected-remark@-1 {{leaking param content: this}}

  [[gostack::managed]] Counter *self() { return this; }
  // expected-remark@-1 {{leaking param: this to result ~r0 level=0}}

  [[gostack::managed]] void setSlot(int *s) { slot = s; }
  // expected-remark@-1 {{this does not escape}}
  // expected-remark@-2 {{leaking param: s}}

  [[gostack::managed]] void leak();
};

Counter *lastCounter;
void Counter::leak() { lastCounter = this; }
// expected-remark@-1 {{leaking param: this}}

[[gostack::managed]] int useCounter() {
  int x = 0;
  Counter c(&x);
  return c.get();
}

[[gostack::managed]] void publishCounter() {
  int x = 0; // expected-remark {{moved to heap: x}}
  Counter c(&x);
  c.publish();
}

[[gostack::managed]] Counter *returnSelf() {
  int x = 0;     // expected-remark {{moved to heap: x}}
  Counter c(&x); // expected-remark {{moved to heap: c}}
  return c.self();
}

[[gostack::managed]] void leakCounter() {
  int x = 0;     // expected-remark {{moved to heap: x}}
  Counter c(&x); // expected-remark {{moved to heap: c}}
  c.leak();
}

// A setter stores into the object it is called on: Go's rule would send s
// to the heap; the summary knows it went into c, which stays here.
[[gostack::managed]] int setterOnLocal() {
  int x = 1;
  Counter c(nullptr);
  c.setSlot(&x);
  return *c.slot;
}

[[gostack::managed]] void setterThenPublish() {
  int x = 1; // expected-remark {{moved to heap: x}}
  Counter c(nullptr);
  c.setSlot(&x);
  c.publish();
}

// Through a pointer of unknown provenance the store goes to the heap.
[[gostack::managed]] void setterThroughPointer(Counter *c) {
  // expected-remark@-1 {{c does not escape}}
  int x = 1; // expected-remark {{moved to heap: x}}
  c->setSlot(&x);
}

// An object that points into itself does not escape for it.
struct SmallBuffer {
  char *data;
  char buffer[16];
  [[gostack::managed]] SmallBuffer() : data(buffer) {}
  // expected-remark@-1 {{this does not escape}}
};

[[gostack::managed]] int useSmallBuffer() {
  SmallBuffer b;
  return b.data[0];
}

struct Vec {
  int *p;
  [[gostack::managed]] Vec operator+(const Vec &o) const { return Vec{o.p}; }
  // expected-remark@-1 {{this does not escape}}
  // expected-remark@-2 {{leaking param: o to result ~r0 level=1}}
};

[[gostack::managed]] Vec add(Vec a, Vec b) { return a + b; }
// expected-remark@-1 {{a does not escape}}
// expected-remark@-2 {{leaking param: b to result ~r0 level=0}}

struct Registry {
  [[gostack::managed]] Registry() { lastRegistry = this; }
  // expected-remark@-1 {{leaking param: this}}
  static Registry *lastRegistry;
};
Registry *Registry::lastRegistry;

[[gostack::managed]] void registers() {
  Registry r; // expected-remark {{moved to heap: r}}
}
