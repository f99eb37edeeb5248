// Go's size limits (1.24 and later): an explicit local larger than 128 KiB
// and a go_new larger than 64 KiB live in the heap even when they do not
// escape; m=2 says why.
// RUN: %verify -fplugin-arg-gostack-m %s
// RUN: %verify=explain -fplugin-arg-gostack-m=2 %s

#include <gostack/gostack.h>

struct Small {
  char bytes[64 * 1024];
};
struct Large {
  char bytes[64 * 1024 + 1];
};
struct Huge {
  char bytes[128 * 1024 + 1];
};

[[gostack::managed]] int smallAllocation() {
  Small *s = gostack::go_new<Small>();
  // expected-remark@-1 {{go_new<Small>(...) does not escape}}
  // explain-remark@-2 {{go_new<Small>(...) does not escape}}
  return s->bytes[0];
}

[[gostack::managed]] int largeAllocation() {
  Large *l = gostack::go_new<Large>();
  // expected-remark@-1 {{go_new<Large>(...) escapes to heap}}
  // explain-remark@-2 {{go_new<Large>(...) escapes to heap}}
  // explain-note@-3 {{flow: {heap} = &{storage for go_new<Large>(...)}}}
  // explain-note@-4 {{from go_new<Large>(...) (too large for stack) at}}
  return l->bytes[0];
}

[[gostack::managed]] int largeLocal() {
  Large l{};
  return l.bytes[0];
}

[[gostack::managed]] int hugeLocal() {
  Huge h{}; // expected-remark {{moved to heap: h}}
  // explain-remark@-1 {{moved to heap: h}}
  // explain-note@-2 {{flow: {heap} = &h}}
  // explain-note@-3 {{from h (too large for stack) at}}
  return h.bytes[0];
}

// Parameters are never moved for their size.
[[gostack::managed]] int hugeParameter(Huge h) { return h.bytes[0]; }
