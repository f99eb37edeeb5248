// A moved local keeps its C++ lifetime: it is destroyed at the end of its
// scope. When its address is returned the caller can only read a destroyed
// object, so the plugin warns (without m: a warning, not a remark), naming
// the variable and suggesting go_new. Only for a type with a destructor,
// and only for an address that reaches the result: one stored elsewhere
// may well be used within the scope (a wait_group shared with goroutines).
// `werror` makes it an error; no-rewrite moves nothing and says nothing.
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %runtime_include \
// RUN:   -Xclang -verify=warns %s
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %runtime_include \
// RUN:   -fplugin-arg-gostack-werror -Xclang -verify=errs %s
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %runtime_include \
// RUN:   -fplugin-arg-gostack-no-rewrite -Wno-return-stack-address \
// RUN:   -Xclang -verify=quiet %s
// quiet-no-diagnostics

#include <gostack/gostack.h>

#include <string>

[[gostack::managed]] std::string *returnsAddress() {
  std::string name = "y";
  // warns-warning@-1 {{'name' is destroyed at the end of its scope, but its address is returned: the caller reads a destroyed object; allocate it with gostack::go_new<std::string>(...) instead}}
  // errs-error@-2 {{'name' is destroyed at the end of its scope, but its address is returned: the caller reads a destroyed object; allocate it with gostack::go_new<std::string>(...) instead}}
  return &name;
}

struct Guard {
  ~Guard();
};

// A closure holding its address, returned.
[[gostack::managed]] auto returnsClosure() {
  Guard g; // warns-warning {{'g' is destroyed at the end of its scope}}
  // errs-error@-1 {{'g' is destroyed at the end of its scope}}
  return [&g] { return &g; };
}

// No destructor: the object stays valid in the GC heap (Go's semantics).
[[gostack::managed]] int *trivial() {
  int n = 3;
  return &n;
}

Guard *kept;
// Stored, not returned: it may be used within its scope.
[[gostack::managed]] void stored() {
  Guard g;
  kept = &g;
}

// Unmanaged code is plain C++: Clang's own warning is the one that applies.
std::string *unmanaged() {
  std::string s;
  return &s; // warns-warning {{address of stack memory}} errs-warning {{address of stack memory}}
}
