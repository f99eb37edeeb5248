// Lambdas are Go's closures: capture by reference takes the address, by
// value copies. A lambda escapes when its closure must outlive the frame
// that made it; what it captures by reference then moves to the heap.
// RUN: %verify -fplugin-arg-gostack-m -Wno-return-stack-address %s

#include <functional>

[[gostack::managed]] int calledDirectly() {
  int x = 1;
  auto f = [&] { return x; }; // expected-remark {{lambda does not escape}}
  return f();
}

[[gostack::managed]] auto returnedByReference() {
  int x = 1;                // expected-remark {{moved to heap: x}}
  return [&] { return x; }; // expected-remark {{lambda escapes to heap}}
}

// Returned even by value, the closure outlives the frame (as in Go).
[[gostack::managed]] auto returnedByValue() {
  int x = 1;
  return [x] { return x; }; // expected-remark {{lambda escapes to heap}}
}

[[gostack::managed]] std::function<int()> toStdFunction() {
  int x = 1; // expected-remark {{moved to heap: x}}
  std::function<int()> f = [&] { return x; };
  // expected-remark@-1 {{lambda escapes to heap}}
  // expected-remark@-2 {{moved to heap: f}}
  return f;
}

[[gostack::managed]] int initCapture() {
  int x = 1;
  auto f = [p = &x] {
    return *p;
  }; // expected-remark@-2 {{lambda does not escape}}
  return f();
}

[[gostack::managed]] auto initCaptureEscapes() {
  int x = 1;                      // expected-remark {{moved to heap: x}}
  return [p = &x] { return *p; }; // expected-remark {{lambda escapes to heap}}
}

struct Widget {
  int value = 0;
  [[gostack::managed]] int viaThis() {
    // expected-remark@-1 {{this does not escape}}
    auto f = [this] {
      return value;
    }; // expected-remark@-2 {{lambda does not escape}}
    return f();
  }
};

// Go's closure-result rule: a lambda whose every call is seen may return
// the address of its parent's variable without moving it.
[[gostack::managed]] int closureResultStays() {
  int u = 0;
  auto f = [&]() -> int * {
    return &u;
  }; // expected-remark@-2 {{lambda does not escape}}
  return *f();
}

[[gostack::managed]] int *closureResultEscapes() {
  int u = 0; // expected-remark {{moved to heap: u}}
  auto f = [&]() -> int * {
    return &u;
  }; // expected-remark@-2 {{lambda does not escape}}
  return f();
}

// Go's closure rule: storing a lambda's local into its parent's variable.
[[gostack::managed]] bool storesIntoParent() {
  int *outer = nullptr;
  auto f = [&] {   // expected-remark {{lambda does not escape}}
    int inner = 1; // expected-remark {{moved to heap: inner}}
    outer = &inner;
  };
  f();
  return outer;
}

// A lambda passed to a function that only calls it does not escape.
template <class F> int callIt(F f) { return f(); }

[[gostack::managed]] int passedToTemplate() {
  int x = 2;
  return callIt(
      [&] { return x; }); // expected-remark {{lambda does not escape}}
}

// Passed to a parameter that promises not to keep it (a function_ref-style
// callback, the usual C++ shape), it stays.
struct FunctionRef {
  void *object;
  void (*invoke)(void *);
  template <class F>
  FunctionRef(F &f)
      : object(&f), invoke([](void *o) { (*static_cast<F *>(o))(); }) {}
};
void visit([[clang::noescape]] const FunctionRef &callback);

[[gostack::managed]] void passedToNoEscape() {
  int x = 2;
  auto bump = [&] { x++; }; // expected-remark {{lambda does not escape}}
  visit(bump);
}

void unknownSink(std::function<void()> f);

[[gostack::managed]] void passedToUnknown() {
  int x = 2;                 // expected-remark {{moved to heap: x}}
  unknownSink([&] { x++; }); // expected-remark {{lambda escapes to heap}}
}

std::function<void()> stored;

[[gostack::managed]] void storedInGlobal() {
  int x = 2;             // expected-remark {{moved to heap: x}}
  stored = [&] { x++; }; // expected-remark {{lambda escapes to heap}}
}

// Lambdas defined in a managed function are managed: their parameters and
// locals are reported too.
int *sink;
[[gostack::managed]] void lambdaParameters() {
  auto keep = [](int *p) {
    sink = p;
  }; // expected-remark@-2 {{lambda does not escape}}
  // expected-remark@-3 {{leaking param: p}}
  auto read = [](const int *p) {
    return *p;
  }; // expected-remark@-2 {{lambda does not escape}}
  // expected-remark@-3 {{p does not escape}}
  int x = 0; // expected-remark {{moved to heap: x}}
  keep(&x);
  int y = read(&x);
  (void)y;
}

// Generic lambdas: every instantiation is analysed.
[[gostack::managed]] int genericLambda() {
  auto twice = [](auto *p) {
    return *p + *p;
  }; // expected-remark@-2 {{lambda does not escape}}
  // expected-remark@-3 {{p does not escape}}
  int i = 1;
  long l = 2;
  return twice(&i) + int(twice(&l));
}
