// Calls: summaries of analysed functions (also those defined later in the
// file), trusted attributes on declarations, and Go's rule for calls the
// analysis cannot see: every pointer argument escapes.
// RUN: %verify -fplugin-arg-gostack-m -Wno-return-stack-address %s

#include <functional>

int *global;
void unknown(int *p);
void unknownReference(int &r);
void variadic(int n, ...);
void noEscape([[clang::noescape]] int *p);
int *lifetimeBound(int *p [[clang::lifetimebound]]);
struct Base {
  virtual void take(int *p);
};
struct Final final : Base {
  void take(int *p) override;
};

[[gostack::managed]] void callUnknown() {
  int x; // expected-remark {{moved to heap: x}}
  unknown(&x);
}

[[gostack::managed]] void callUnknownReference() {
  int x; // expected-remark {{moved to heap: x}}
  unknownReference(x);
}

[[gostack::managed]] void callVariadic() {
  int x; // expected-remark {{moved to heap: x}}
  variadic(1, &x);
}

[[gostack::managed]] void callNoEscape() {
  int x;
  noEscape(&x);
}

[[gostack::managed]] int *callLifetimeBound() {
  int x; // expected-remark {{moved to heap: x}}
  return lifetimeBound(&x);
}

[[gostack::managed]] int callLifetimeBoundStays() {
  int x = 1;
  return *lifetimeBound(&x);
}

[[gostack::managed]] void callVirtual(Base *b) {
  // expected-remark@-1 {{leaking param: b}}
  int x; // expected-remark {{moved to heap: x}}
  b->take(&x);
}

[[gostack::managed]] void callFunctionPointer(void (*f)(int *)) {
  int x; // expected-remark {{moved to heap: x}}
  f(&x);
}

// std::function's call goes through a function pointer inside the library;
// the analysis knows it as Go knows a func value's call (LibraryFunctions):
// the arguments escape, the function object does not.
[[gostack::managed]] void callStdFunction(const std::function<void(int *)> &f) {
  // expected-remark@-1 {{f does not escape}}
  int x; // expected-remark {{moved to heap: x}}
  f(&x);
}

// Callees defined later in the file are analysed first (bottom-up).
int *laterHelper(int *p);
[[gostack::managed]] int callsLaterHelper() {
  int x = 1;
  return *laterHelper(&x);
}

[[gostack::managed]] int *laterHelper(int *p) { return p; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=0}}

// Unmanaged callees with bodies are analysed for their summaries too.
int *unmanagedHelper(int *p) { return p; }

[[gostack::managed]] int callsUnmanagedHelper() {
  int x = 1;
  return *unmanagedHelper(&x);
}

// A virtual call the compiler can resolve is a direct call.
void Final::take(int *p) {}
[[gostack::managed]] void callFinal(Final *f) {
  // expected-remark@-1 {{f does not escape}}
  int x;
  f->take(&x);
}

// Mutual recursion is analysed as one batch, exactly: each call inside the
// batch flows the callee's result on to its own destination. (Go treats a
// result of another function of the batch as the heap: "leaking param: p",
// "moved to heap: x".)
[[gostack::managed]] int *ping(int *p, int n);
[[gostack::managed]] int *pong(int *p, int n) { return n ? ping(p, n - 1) : p; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=0}}
[[gostack::managed]] int *ping(int *p, int n) { return n ? pong(p, n - 1) : p; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=0}}

[[gostack::managed]] int recursionStays() {
  int x = 1;
  return *ping(&x, 4);
}

[[gostack::managed]] int *recursionEscapes() {
  int x = 1; // expected-remark {{moved to heap: x}}
  return ping(&x, 4);
}

// Direct recursion keeps the exact summary.
[[gostack::managed]] int *self(int *p, int n) { return n ? self(p, n - 1) : p; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=0}}

[[gostack::managed]] int directRecursionStays() {
  int x = 1;
  return *self(&x, 4);
}

// std::move and std::addressof keep the object.
[[gostack::managed]] int *addressOf() {
  int x; // expected-remark {{moved to heap: x}}
  return std::addressof(x);
}
