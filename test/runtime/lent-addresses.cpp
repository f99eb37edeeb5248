// An unmanaged caller on a goroutine passes the address of its own local to
// a managed function that keeps it beyond the call -- in a GC object, in the
// C heap behind a global container, in a heap object through a setter (and
// a managed caller, a temporary, which the rewrite cannot move). The
// analysis cannot see the caller; the function's entry check records the
// lend, and the stack moves that follow adjust the kept copies while the
// lending frame lives. Without it the kept copies read the freed old stack
// (stackfaultonfree stops the program; otherwise a stale value).
// GOSTACK_DEBUG=lentcheck=1 stops at the lend instead, naming function and
// parameter (Go's cgocheck).
// RUN: %gostack_cxx -O2 %s -o %t %gostack_link
// RUN: %t | FileCheck %s
// RUN: env GOSTACK_DEBUG=lentcheck=1 not %t 2>&1 | FileCheck %s --check-prefix=STOP

#include <gostack/gostack.h>

#include <cstdio>
#include <vector>

struct Holder {
  int *target = nullptr;
  [[gostack::managed]] [[gnu::noinline]] void set(int *p) { target = p; }
};

Holder *volatile kept;
std::vector<int *> remembered;
Holder *volatile heapHolder;

[[gostack::managed]] [[gnu::noinline]] long grow(long depth) {
  volatile char frame[256];
  frame[0] = static_cast<char>(depth);
  return depth ? grow(depth - 1) + frame[0] : 0;
}

// leaking param: target (stored in a GC object a global holds)
[[gostack::managed]] [[gnu::noinline]] void keepInGcObject(int *target) {
  Holder *h = gostack::go_new<Holder>();
  h->target = target;
  kept = h;
}

// leaking param: target (a global vector's C-heap buffer)
[[gostack::managed]] [[gnu::noinline]] void remember(int *target) {
  remembered.push_back(target);
}

[[gostack::managed]] [[gnu::noinline]] void addThroughKept() {
  *kept->target += 1;
  *remembered.back() += 10;
  *heapHolder->target += 100;
}

// Keeps a reference to what may be a temporary, and reads it back after
// the stack has moved -- within the call, while the temporary lives.
const int *keptReference;
[[gostack::managed]] [[gnu::noinline]] int keepAndReadBack(const int &value) {
  keptReference = &value;
  grow(2000);
  return *keptReference;
}

// Managed, but the rewrite moves variables, not temporaries: the temporary
// is lent as an unmanaged caller's local would be.
[[gostack::managed]] [[gnu::noinline]] int managedTemporary(int base) {
  return keepAndReadBack(base + 1);
}

// Not managed: its locals stay on the goroutine's stack, which moves.
[[gnu::noinline]] int unmanagedCaller() {
  int gcKept = 1, cKept = 2, setterKept = 3;
  keepInGcObject(&gcKept);
  remember(&cKept);
  heapHolder->set(&setterKept); // into *this, a heap object
  // A holder in the same frame: moves with it, nothing lent.
  Holder local;
  int sameFrame = 4;
  local.set(&sameFrame);
  grow(2000); // about 600 KiB of frames: the stack moves several times
  addThroughKept();
  return gcKept * 1000000 + cKept * 10000 + setterKept * 10 + *local.target;
}

int main() {
  heapHolder = new Holder;
  return gostack::run([] {
    std::uint64_t before = gostack::read_mem_stats().stack_copies;
    int result = unmanagedCaller();
    std::printf("kept copies: %d, stack moved: %s\n", result,
                gostack::read_mem_stats().stack_copies > before ? "yes" : "no");
    // CHECK: kept copies: 2121034, stack moved: yes
    std::printf("managed caller's temporary: %d\n", managedTemporary(41));
    // CHECK: managed caller's temporary: 42
    // STOP: fatal error: gostack: keepInGcObject: parameter target: 0x{{[0-9a-f]+}} points into the stack of goroutine 1: a caller that is not managed passed the address of its own variable to a parameter that is kept beyond the call (GOSTACK_DEBUG=lentcheck=1)
    return 0;
  });
}
