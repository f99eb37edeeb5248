// Template patterns are never walked, only their instantiations: a lambda
// inside a template, with managed=all, used to walk the dependent pattern
// and crash. No crash, and the instantiation is analysed.
// RUN: %verify -fplugin-arg-gostack-m -fplugin-arg-gostack-managed=all %s

struct FunctionRef {
  void *object;
  void (*invoke)(void *);
  template <class F>
  FunctionRef(F &f)
      // expected-remark@-1 {{this does not escape}}
      // expected-remark@-2 {{leaking param: f to result ~r0 level=0}}
      : object(&f), invoke([](void *o) { (*static_cast<F *>(o))(); }) {}
  // expected-remark@-1 {{lambda does not escape}}
  // expected-remark@-2 {{o does not escape}}
};

template <class T> struct Holder {
  T value;
  Holder(T v) : value([v] { return v; }()) {}
  // expected-remark@-1 {{this does not escape}}
  // expected-remark@-2 {{lambda does not escape}}
};

template <class T> T neverInstantiated(T v) {
  auto f = [&] { return &v; };
  return *f();
}

int use() {
  Holder<int> h(3);
  int x = 2;
  auto bump = [&] { x++; }; // expected-remark {{lambda does not escape}}
  FunctionRef ref(bump);
  return h.value;
}
