// Stores through pointer and reference parameters land in the caller's
// object, and an object that only stores into itself what it already holds
// leaks nothing (Leaks.h). Go sends every store through a pointer to the
// heap, except its self-assignments (`p.a = p.b`); ours generalises that, so
// the pass-by-value-and-move idiom and std::string's small buffer, which
// points into its own object, stay on the stack.
// RUN: %verify -fplugin-arg-gostack-m -std=c++17 %s
// RUN: %verify -fplugin-arg-gostack-m %s

#include <string>
#include <utility>

struct Pair {
  int *a, *b;
};

// func selfAssign(p *Pair) { p.a = p.b }: Go says "p does not escape".
[[gostack::managed]] void selfAssign(Pair *p) { p->a = p->b; }
// expected-remark@-1 {{p does not escape}}

struct SmallBuffer {
  char *data;
  char inline_[16];
};

// Go leaks s here (&s.buf[0] stored through s); ours knows the object holds
// its own address.
[[gostack::managed]] void pointIntoSelf(SmallBuffer *s) {
  // expected-remark@-1 {{s does not escape}}
  s->data = s->inline_;
}

[[gostack::managed]] char localBuffer() {
  SmallBuffer b;
  pointIntoSelf(&b);
  b.inline_[0] = 'x';
  return *b.data;
}

// A store through a reference parameter lands in the caller's variable.
[[gostack::managed]] void setSlot(int *&slot, int *value) { slot = value; }
// expected-remark@-1 {{slot does not escape}}
// expected-remark@-2 {{leaking param: value}}

[[gostack::managed]] int slotInFrame() {
  int x = 1;
  int *p = nullptr;
  setSlot(p, &x);
  return *p;
}

int *global;
[[gostack::managed]] void slotOutlivingFrame() {
  int x = 1; // expected-remark {{moved to heap: x}}
  setSlot(global, &x);
}

// The pass-by-value-and-move idiom: the parameter's string is moved into
// the member; libstdc++'s move constructor points the moved-from string back
// at its own buffer, which is no escape.
struct Named {
  [[gostack::managed]] explicit Named(std::string n) : name(std::move(n)) {}
  // expected-remark@-1 {{this does not escape}}
  // expected-remark@-2 {{leaking param: n to result ~r0 level=0}}
  std::string name;
};

[[gostack::managed]] size_t makeNamed() {
  std::string s = "a name long enough to need the heap, not the small buffer";
  Named named(s);
  return named.name.size();
}

// A reassigned pointer parameter points at more than the caller's object: a
// store through it is a store to the heap, as in Go.
[[gostack::managed]] void reassigned(int **p, int **q, int *v) {
  // expected-remark@-1 {{p does not escape}}
  // expected-remark@-2 {{q does not escape}}
  // expected-remark@-3 {{leaking param: v}}
  p = q;
  *p = v;
}
