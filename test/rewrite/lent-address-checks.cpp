// A managed function whose pointer or reference parameter leaks -- to the
// heap, or into another parameter's object -- checks on entry whether it
// was given an address in the running goroutine's stack (an unmanaged
// caller's local): check_lent_address, inline, calls note_lent_address only
// then. Parameters that do not leak, or leak only their content or to the
// result, get no check; nor do those only a managed callee keeps (it checks
// on its own entry; for a virtual call, the overriders of a managed method). A parameter kept in another parameter's object is lent
// only when that object is not in the stack too.
// RUN: %clangxx -std=c++20 -O1 -S -emit-llvm -fno-discard-value-names %plugin \
// RUN:   -fplugin-arg-gostack-no-stack-maps %runtime_include %s -o - \
// RUN:   | FileCheck %s

#include <gostack/gostack.h>

struct Node {
  Node *next = nullptr;
  int value = 0;
  [[gostack::managed]] void link(Node *other) { next = other; }
  [[gostack::managed]] void publish();
};

Node *head;
int *global;

// CHECK-DAG: @[[KEEP:.*]] = {{.*}} c"keep: parameter p\00"
// CHECK-DAG: @[[REF:.*]] = {{.*}} c"keepReference: parameter r\00"
// CHECK-DAG: @[[LINK:.*]] = {{.*}} c"Node::link: parameter other\00"
// CHECK-DAG: @[[THIS:.*]] = {{.*}} c"Node::publish: parameter this\00"
// CHECK-DAG: @[[UNKNOWN:.*]] = {{.*}} c"toUnmanaged: parameter p\00"

// CHECK-LABEL: define {{.*}} @_Z4keepPi(
// CHECK: @_ZN7gostack6detail13running_stackE
// CHECK: call void @_ZN7gostack6detail17note_lent_addressEPKvPKc(ptr {{.*}}%p, ptr {{.*}}@[[KEEP]])
[[gostack::managed]] void keep(int *p) { global = p; }

// CHECK-LABEL: define {{.*}} @_Z13keepReferenceRi(
// CHECK: call void @_ZN7gostack6detail17note_lent_addressEPKvPKc(ptr {{.*}}%r, ptr {{.*}}@[[REF]])
[[gostack::managed]] void keepReference(int &r) { global = &r; }

// Passed on to a managed callee that keeps it: the callee checks, not this
// function. Passed to a function that is not managed: this function checks.
void unmanagedKeeper(int *p);
[[gostack::managed]] [[gnu::noinline]] void keepOutOfLine(int *p) {
  global = p;
}
// CHECK-LABEL: define {{.*}} @_Z9toManagedPi(
// CHECK-NOT: lent_address
// CHECK: ret
[[gostack::managed]] void toManaged(int *p) { keepOutOfLine(p); }
// A virtual call of a managed method: its (managed) overriders check.
struct Sink {
  [[gostack::managed]] virtual void take(int *p);
};
// CHECK-LABEL: define {{.*}} @_Z9toVirtualP4SinkPi(
// CHECK-NOT: lent_address
// CHECK: ret
[[gostack::managed]] void toVirtual(Sink *s, int *p) { s->take(p); }
// CHECK-LABEL: define {{.*}} @_Z11toUnmanagedPi(
// CHECK: call void @_ZN7gostack6detail17note_lent_addressEPKvPKc(ptr {{.*}}%p, ptr {{.*}}@[[UNKNOWN]])
[[gostack::managed]] void toUnmanaged(int *p) { unmanagedKeeper(p); }

// CHECK-LABEL: define {{.*}} @_Z4readPi(
// CHECK-NOT: lent_address
// CHECK: ret
[[gostack::managed]] int read(int *p) { return *p; }

// CHECK-LABEL: define {{.*}} @_Z8identityPi(
// CHECK-NOT: lent_address
// CHECK: ret
[[gostack::managed]] int *identity(int *p) { return p; }

[[gostack::managed]] void uses() {
  Node a, b;
  a.link(&b);
  a.publish();
}

// Into *this: lent only when `this` is not in the stack as well.
// CHECK-LABEL: define {{.*}} @_ZN4Node4linkEPS_(
// CHECK: %or.cond = {{.*}}
// CHECK: call void @_ZN7gostack6detail17note_lent_addressEPKvPKc(ptr {{.*}}%other, ptr {{.*}}@[[LINK]])

// CHECK-LABEL: define {{.*}} @_ZN4Node7publishEv(
// CHECK: call void @_ZN7gostack6detail17note_lent_addressEPKvPKc(ptr {{.*}}%this, ptr {{.*}}@[[THIS]])
void Node::publish() { head = this; }
