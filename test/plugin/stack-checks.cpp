// Managed functions get LLVM's split-stack prologue: the frame is compared
// with the goroutine's guard at %fs:0x70 and __morestack is called when it
// does not fit. Unmanaged functions and variadic managed ones (which LLVM
// cannot check) get none; they get stack probes instead, so that a frame
// larger than the guard faults in it rather than stepping over it. A module
// with managed code defines the marker that lets the runtime start
// goroutines on small stacks.
// RUN: %gostack_cxx -S -emit-llvm -O2 %s -o - | FileCheck %s --check-prefix=IR
// RUN: %gostack_cxx -S -O2 %s -o - | FileCheck %s --check-prefix=ASM
// RUN: %gostack_cxx -S -O0 %s -o - | FileCheck %s --check-prefix=ASM
// Without the plugin: no checks, no marker.
// RUN: %plain_cxx -S -O2 -Wno-unknown-attributes %s -o - | FileCheck %s --check-prefix=PLAIN

#include <gostack/gostack.h>

#include <cstdarg>

#define NOINLINE __attribute__((noinline))

int sink(int *);

// The plugin emits managed definitions after the others.
// IR-DAG: define {{.*}} @_Z9unmanagedi({{.*}} #[[UNCHECKED:[0-9]+]]
// ASM-LABEL: _Z9unmanagedi:
// ASM-NOT: __morestack
// ASM: .cfi_endproc
NOINLINE int unmanaged(int x) { return sink(&x); }

// IR-DAG: define {{.*}} @_Z7managedi({{.*}} #[[CHECKED:[0-9]+]]
// ASM-LABEL: _Z7managedi:
// ASM: cmpq %fs:112, %rsp
// ASM: callq __morestack
[[gostack::managed]] NOINLINE int managed(int x) { return sink(&x); }

// A frame larger than the 256 bytes LLVM assumes below the guard is
// compared whole.
// ASM-LABEL: _Z8bigFramei:
// ASM: leaq -{{[0-9]+}}(%rsp), %r11
// ASM-NEXT: cmpq %fs:112, %r11
[[gostack::managed]] NOINLINE int bigFrame(int x) {
  volatile int frame[1000]; // does not escape: stays in the frame
  frame[x % 1000] = x;
  return frame[(x + 1) % 1000] + sink(&x);
}

// IR-DAG: define {{.*}} @_Z8variadiciz({{.*}} #[[VARIADIC:[0-9]+]]
[[gostack::managed]] NOINLINE int variadic(int count, ...) {
  va_list arguments;
  va_start(arguments, count);
  int first = va_arg(arguments, int);
  va_end(arguments);
  return first;
}

int main() { return managed(1) + bigFrame(2) + unmanaged(3) + variadic(1, 4); }

// IR-DAG: @gostack_stack_checks_linked = weak_odr {{.*}}constant i8 1
// Attributes are listed in order: "split-stack" would come between these.
// IR-DAG: attributes #[[CHECKED]] = { {{.*}}"gostack-managed"{{.*}}"no-trapping-math"="true" "split-stack" "stack-protector
// IR-DAG: attributes #[[UNCHECKED]] = { {{.*}}"no-trapping-math"="true" "probe-stack"="inline-asm" "stack-protector
// IR-DAG: attributes #[[VARIADIC]] = { {{.*}}"gostack-managed"{{.*}}"no-trapping-math"="true" "probe-stack"="inline-asm" "stack-protector
// PLAIN-NOT: __morestack
// PLAIN-NOT: probe-stack
// PLAIN-NOT: gostack_stack_checks_linked
