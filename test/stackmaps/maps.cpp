// The stack maps the plugin emits (printed by -fplugin-arg-gostack-m=3),
// at -O0 and -O2: a frame object that holds a pointer is listed, a local
// that only ever holds a number is not, a reference parameter live across
// a call is in a register (past six, in pointer slots), a number live
// across a call is not; which register each saved word holds.
// RUN: %clangxx -std=c++20 -O0 -g1 -c %plugin -fplugin-arg-gostack-m=3 \
// RUN:   %runtime_include %s -o %t.o0 2>&1 | FileCheck %s --check-prefixes=CHECK,O0
// RUN: %clangxx -std=c++20 -O2 -g1 -c %plugin -fplugin-arg-gostack-m=3 \
// RUN:   %runtime_include %s -o %t.o2 2>&1 | FileCheck %s --check-prefixes=CHECK,O2
// The section: one per function, tied to it; no .llvm_stackmaps.
// RUN: %llvm_readelf -S %t.o2 | FileCheck %s --check-prefix=SECTIONS
// Without maps, none.
// RUN: %clangxx -std=c++20 -O2 -c %plugin -fplugin-arg-gostack-no-stack-maps \
// RUN:   %runtime_include %s -o %t.none
// RUN: %llvm_readelf -S %t.none | FileCheck %s --check-prefix=NONE

#include <gostack/gostack.h>

#include <cstdint>

struct Node {
  Node *next;
  long value;
};

void other();
long peek(GOSTACK_NOESCAPE const Node *);
Node *volatile global;

// A go_new that does not escape becomes a frame slot, and holds a pointer
// to one that does. At -O0 the locals holding pointers are frame objects
// too (8 bytes each); the numbers (seed, number) are not.
// CHECK-LABEL: stack map of slotHoldingPointer(long):
[[gostack::managed]] long slotHoldingPointer(long seed) {
  Node *heap = gostack::go_new<Node>(); // escapes: to a global
  global = heap;
  Node *slot = gostack::go_new<Node>(heap, seed); // does not escape
  long number = seed * 4096;                      // a number across the call
  if (seed > 100)
    other(); // keeps -O2 from folding the slot before the next call
  other();
  // O0: call to other() at line [[@LINE-1]]: frame {{[0-9]+}} bytes; object [sp+{{[0-9]+}}, 8 bytes]; object [sp+{{[0-9]+}}, 16 bytes]; object [sp+{{[0-9]+}}, 8 bytes]; object [sp+{{[0-9]+}}, 8 bytes]{{(; saved .*)?$}}
  // O2: call to other() at line [[@LINE-2]]: frame {{[0-9]+}} bytes; object [sp+{{[0-9]+}}, 16 bytes]{{(; saved .*)?$}}
  return peek(slot) + number;
}

// At -O0 the reference is in a frame object; at -O2 in a callee-saved
// register across the call, whose caller's value the prologue saved.
// CHECK-LABEL: stack map of referenceParameter(long&):
[[gostack::managed]] long referenceParameter(long &counter) {
  other();
  // O0: call to other() at line [[@LINE-1]]: frame {{[0-9]+}} bytes; object [sp+{{[0-9]+}}, 8 bytes]{{(; saved .*)?$}}
  // O2: call to other() at line [[@LINE-2]]: frame {{[0-9]+}} bytes; pointer in [[REG:r[a-z0-9]+]]; saved [[REG]] [sp+{{[0-9]+}}]{{$}}
  return ++counter;
}

// A number, not listed; the words the prologue filled with callee-saved
// registers are: at -O0 the frame pointer, at -O2 the caller's rbx, which
// now holds the number.
// CHECK-LABEL: stack map of numbersOnly(long):
[[gostack::managed]] long numbersOnly(long n) {
  long twice = n * 2;
  other();
  // O0: call to other() at line [[@LINE-1]]: frame {{[0-9]+}} bytes; saved rbp [sp+{{[0-9]+}}]{{$}}
  // O2: call to other() at line [[@LINE-2]]: frame 8 bytes; saved rbx [sp+0]{{$}}
  return twice;
}

// An array of numbers, indexed, is no frame object either; an array of
// pointers is.
// CHECK-LABEL: stack map of arrays(int):
[[gostack::managed]] long arrays(int i) {
  long numbers[4] = {1, 2, 3, 4};
  Node *nodes[2] = {nullptr, global};
  numbers[i & 3] = i;
  other();
  // O0: call to other() at line [[@LINE-1]]: frame {{[0-9]+}} bytes; object [sp+{{[0-9]+}}, 16 bytes]; saved rbp [sp+{{[0-9]+}}]{{$}}
  return numbers[(i + 1) & 3] + peek(nodes[i & 1]);
}

// A uintptr_t made from a pointer is treated as one: at -O0 its local is a
// frame object, at -O2 the value is in a register.
// CHECK-LABEL: stack map of pointerBits():
[[gostack::managed]] long pointerBits() {
  auto bits = reinterpret_cast<std::uintptr_t>(gostack::go_new<Node>());
  other();
  // O0: call to other() at line [[@LINE-1]]: frame {{[0-9]+}} bytes; object [sp+{{[0-9]+}}, 8 bytes]{{(; saved .*)?$}}
  // O2: call to other() at line [[@LINE-2]]: frame {{[0-9]+}} bytes; pointer in {{r[a-z0-9]+}}; saved {{.*}}{{$}}
  return reinterpret_cast<Node *>(bits)->value;
}

// Addresses at constant offsets from a live pointer (fields, elements) are
// recomputed after the call from it: at -O2 one pointer, not three.
struct Fields {
  long count;
  long items[4];
};
// CHECK-LABEL: stack map of fieldAddresses(Fields&):
[[gostack::managed]] long fieldAddresses(Fields &fields) {
  long *first = &fields.items[0], *last = &fields.items[3];
  *first = 1;
  *last = 2;
  other();
  // O2: call to other() at line [[@LINE-1]]: frame {{[0-9]+}} bytes; pointer in {{r[a-z0-9]+}}; saved {{.*}}{{$}}
  return *first + *last + fields.count;
}

// More pointers live across a call than callee-saved registers: six in
// registers, the others in pointer slots; every register saved.
// CHECK-LABEL: stack map of manyPointers(long&, long&, long&, long&, long&, long&, long&, long&):
[[gostack::managed]] long manyPointers(long &a, long &b, long &c, long &d,
                                       long &e, long &f, long &g, long &h) {
  other();
  // O2: call to other() at line [[@LINE-1]]: frame 72 bytes; pointer [sp+{{[0-9]+}}]; pointer [sp+{{[0-9]+}}]; pointer in rbx; pointer in rbp; pointer in r12; pointer in r13; pointer in r14; pointer in r15; saved rbp [sp+64] r15 [sp+56] r14 [sp+48] r13 [sp+40] r12 [sp+32] rbx [sp+24]{{$}}
  return a + b + c + d + e + f + g + h;
}

// SECTIONS: gostack_stackmaps PROGBITS
// SECTIONS-NOT: .llvm_stackmaps
// NONE-NOT: stackmaps
