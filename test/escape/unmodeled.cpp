// What the analysis does not model is assumed to escape, never ignored.
// RUN: %verify -fplugin-arg-gostack-m -Wno-return-stack-address %s
// RUN: %verify=explain -fplugin-arg-gostack-m=2 -Wno-return-stack-address %s

[[gostack::managed]] long pointerToInteger() {
  int x; // expected-remark {{moved to heap: x}}
  // explain-remark@-1 {{moved to heap: x}}
  // explain-note@-2 {{flow: {heap} = &x}}
  // explain-note@-3 {{from (long)&x (pointer-to-integer cast) at}}
  // explain-note@-4 {{from &x (address-of) at}}
  return (long)&x;
}

union Word {
  int *pointer;
  long bits;
};

[[gostack::managed]] long unionHoldingPointers() {
  int x; // expected-remark {{moved to heap: x}}
  // explain-remark@-1 {{moved to heap: x}}
  // explain-note@-2 {{flow: {heap} = &x}}
  // explain-note@-3 {{from &x (address-of) at}}
  // explain-note@-4 {{from w.pointer (union holding pointers) at}}
  // explain-note@-5 {{from w.pointer = &x (assign) at}}
  Word w;
  w.pointer = &x;
  return w.bits;
}

[[gostack::managed]] void inlineAssembly() {
  int x; // expected-remark {{moved to heap: x}}
  // explain-remark@-1 {{moved to heap: x}}
  // explain-note@-2 {{flow: {heap} = &x}}
  // explain-note@-3 {{from &x (address-of) at}}
  // explain-note@-4 {{from &x (inline assembly) at}}
  asm volatile("" : : "r"(&x));
}

// A union without pointers is an ordinary value.
union Number {
  int i;
  float f;
};

[[gostack::managed]] int plainUnion() {
  Number n;
  n.i = 1;
  int *p = &n.i;
  return *p;
}

// setjmp is a call the analysis cannot see: the buffer escapes.
#include <csetjmp>

[[gostack::managed]] int usesSetjmp() {
  std::jmp_buf buffer; // expected-remark {{moved to heap: buffer}}
  // explain-remark@-1 {{moved to heap: buffer}}
  // explain-note@-2 {{flow: {heap} = &buffer}}
  // explain-note@-3 {{(call parameter) at}}
  return setjmp(buffer);
}
