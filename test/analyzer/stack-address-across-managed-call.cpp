// gostack.StackAddressAcrossManagedCall: unmanaged code keeps an address in
// the goroutine's stack where the stack copier does not adjust it, calls a
// managed function (whose stack check may move the stack), then uses the
// copy. The path is shown: the store, the call, the use.
// RUN: %gostack_analyze \
// RUN:   -Xclang -analyzer-checker=gostack.StackAddressAcrossManagedCall \
// RUN:   -Xclang -analyzer-output=text -Xclang -verify %s

#include <gostack/gostack.h>

#include <vector>

[[gostack::managed]] void managedWork();
void unmanagedWork();

int *kept;
struct Holder {
  int *target;
};

void keptInGlobal() {
  int local = 0;
  // expected-note@+1 {{Address of 'local', in the goroutine's stack, stored in 'kept', which the stack copier does not adjust}}
  kept = &local;
  // expected-note@+1 {{Call to managed function 'managedWork', whose stack check may move the goroutine's stack}}
  managedWork();
  // expected-warning@+2 {{The address of 'local' kept in 'kept' is used after the call to managed function 'managedWork', which may have moved the goroutine's stack: it points into the old stack}}
  // expected-note@+1 {{The address of 'local' kept in 'kept' is used after the call to managed function 'managedWork', which may have moved the goroutine's stack: it points into the old stack}}
  *kept += 1;
  kept = nullptr;
}

void keptInHeapObject() {
  int local = 0;
  Holder *holder = new Holder;
  // expected-note@+1 {{Address of 'local', in the goroutine's stack, stored in field 'target' of a heap object, which the stack copier does not adjust}}
  holder->target = &local;
  // expected-note@+1 {{Call to managed function 'managedWork'}}
  managedWork();
  // expected-warning@+2 {{The address of 'local' kept in field 'target' of a heap object is used after}}
  // expected-note@+1 {{The address of 'local' kept in field 'target' of a heap object is used after}}
  *holder->target = 1;
  delete holder;
}

void keptInContainer(std::vector<int *> &pointers) {
  int local = 0;
  // expected-note@+1 {{Address of 'local', in the goroutine's stack, stored in the heap buffer of 'pointers' (vector)}}
  pointers.push_back(&local);
  // expected-note@+1 {{Call to managed function 'managedWork'}}
  managedWork();
  // expected-warning@+2 {{'pointers' holds the address of 'local' and is used after the call to managed function 'managedWork'}}
  // expected-note@+1 {{'pointers' holds the address of 'local' and is used after the call to managed function 'managedWork'}}
  *pointers.back() = 1;
  pointers.clear();
}

// A caller's local, reached through a parameter.
void keepParameter(int *callers) {
  // expected-note@+1 {{Address of 'local', in the goroutine's stack, stored in 'kept'}}
  kept = callers;
}
void keptForCaller() {
  int local = 0;
  // expected-note@+2 {{Calling 'keepParameter'}}
  // expected-note@+1 {{Returning from 'keepParameter'}}
  keepParameter(&local);
  // expected-note@+1 {{Call to managed function 'managedWork'}}
  managedWork();
  // expected-warning@+2 {{The address of 'local' kept in 'kept' is used after}}
  // expected-note@+1 {{The address of 'local' kept in 'kept' is used after}}
  *kept = 2;
  kept = nullptr;
}

// Safe: used only before the managed call.
void usedBefore() {
  int local = 0;
  kept = &local;
  *kept += 1;
  kept = nullptr;
  managedWork();
}

// Safe: stored, then cleared before the call.
void storedThenCleared() {
  int local = 0;
  kept = &local;
  kept = nullptr;
  managedWork();
  if (kept)
    *kept = 1;
}

// Safe: the managed call runs on the thread's own stack, which never moves.
void onSystemStack() {
  int local = 0;
  kept = &local;
  gostack::systemstack([] { managedWork(); });
  *kept += 1;
  kept = nullptr;
}

// Safe: the address never leaves the stack (the copier adjusts it).
void staysInFrame() {
  int local = 0;
  int *pointer = &local;
  Holder onStack{&local};
  managedWork();
  *pointer += *onStack.target;
}

// Safe: no managed call in between, only unmanaged code.
void unmanagedCallOnly() {
  int local = 0;
  kept = &local;
  unmanagedWork();
  *kept += 1;
  kept = nullptr;
}

// Managed code's stores are the plugin's: it moves `local` to the heap.
[[gostack::managed]] void managedKeeps() {
  int local = 0;
  kept = &local;
  managedWork();
  *kept += 1;
}

// A managed function that keeps what an unmanaged caller lends it: the
// run-time check's case (the runtime keeps the copy right, at a cost).
[[gostack::managed]] void keepLent(int *lent) {
  // expected-warning@+2 {{Managed function 'keepLent' keeps the address of 'local', a variable of the unmanaged 'lends', in 'kept': the runtime keeps it right at a cost, stopping the world at each stack move while it lives (declare it in managed code)}}
  // expected-note@+1 {{Managed function 'keepLent' keeps the address of 'local'}}
  kept = lent;
}
void lends() {
  int local = 0;
  // expected-note@+1 {{Calling 'keepLent'}}
  keepLent(&local);
  kept = nullptr;
}
