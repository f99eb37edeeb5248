// Every instantiation is analysed; a location that escapes in one of them
// is reported once, as escaping.
// RUN: %verify -fplugin-arg-gostack-m %s

int *global;

template <class T> [[gostack::managed]] void maybeKeep(T *p) {
  // expected-remark@-1 {{leaking param: p}}
  if constexpr (sizeof(T) == sizeof(int))
    global = reinterpret_cast<int *>(p);
}

template <class T> [[gostack::managed]] T *local(T v) {
  T copy = v; // expected-remark {{moved to heap: copy}}
  if constexpr (sizeof(T) > 4)
    global = reinterpret_cast<int *>(&copy);
  return nullptr;
}

template <class T> [[gostack::managed]] T twice(const T &v) { return v + v; }
// expected-remark@-1 {{v does not escape}}

void instantiate() {
  char c = 0;
  int i = 0;
  maybeKeep(&c);
  maybeKeep(&i);
  local<int>(1);
  local<long>(2);
  twice(1);
  twice(2.0);
}

// Only instantiations are analysed: an uninstantiated template says nothing.
template <class T> [[gostack::managed]] T *never(T v) { return &v; }

// Members of a managed class template.
template <class T> struct Box {
  T *item;
  [[gostack::managed]] T *get() const { return item; }
  // expected-remark@-1 {{leaking param: this to result ~r0 level=1}}
};

int useBox() {
  int x = 1;
  Box<int> b{&x};
  return *b.get();
}
