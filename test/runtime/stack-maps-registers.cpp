// At -O2 a managed frame keeps pointers in callee-saved registers across
// its calls; a managed function it calls saves those registers in its own
// frame before using them. The collector finds the pointer there, in the
// callee's saved-register words, which the stack maps name register by
// register (docs/STACKS.md, "Stack maps"): the object is kept, though no
// other word of a managed frame holds its address.
// Under ASan the stacks are scanned word by word: nothing to test there.
// UNSUPPORTED: sanitizer
// RUN: %gostack_cxx -O2 -fplugin-arg-gostack-m=3 %s -o %t %gostack_link 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MAPS
// RUN: %t | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>

std::atomic<int> destroyed{0};

struct Target {
  long value = 42;
  ~Target() { destroyed++; }
};

Target *volatile published;

[[gnu::noinline]] void publish(Target *target) { published = target; }

// Six numbers live across its calls fill every callee-saved register, so
// its prologue saves all of its caller's.
// MAPS-LABEL: stack map of collectKeepingNumbers(long, long, long, long, long, long):
// MAPS: call to gostack::gc(){{.*}}; saved {{.*}}rbx
[[gostack::managed]] [[gnu::noinline]] long
collectKeepingNumbers(long a, long b, long c, long d, long e, long f) {
  gostack::gc();
  gostack::gc();
  gostack::gc();
  return a * b + c * d + e * f;
}

// MAPS-LABEL: stack map of holdAcross():
// MAPS: call to collectKeepingNumbers(long, long, long, long, long, long){{.*}}; pointer in r{{[a-z0-9]+}}{{;|$}}
[[gostack::managed]] [[gnu::noinline]] long holdAcross() {
  Target *target = gostack::go_new<Target>();
  publish(target); // escapes: a heap object
  published = nullptr;
  long sum = collectKeepingNumbers(1, 2, 3, 4, 5, 6);
  return sum + target->value;
}

// A function pointer and its argument, both loaded before a call and used
// after it: the call must go to the function, with the argument (LLVM 19,
// with pointers in registers across statepoints, called the argument when
// the function pointer was listed as one; leveldb's background thread).
struct Work {
  void (*function)(long *);
  long *argument;
};
[[gnu::noinline]] void addOne(long *counter) { ++*counter; }
[[gnu::noinline]] void between() { asm volatile(""); }

// MAPS-LABEL: stack map of callThrough(Work*, int):
[[gostack::managed]] [[gnu::noinline]] void callThrough(Work *work, int n) {
  for (int i = 0; i < n; ++i) {
    between();
    void (*function)(long *) = work[i].function;
    long *argument = work[i].argument;
    between();
    function(argument);
  }
}

// Managed too: the maps describe a stack only when every frame up to the
// goroutine's entry is managed.
struct Body {
  long *result;
  gostack::wait_group *done;
  [[gostack::managed]] void operator()() const {
    long counter = 0;
    Work work[2] = {{addOne, &counter}, {addOne, &counter}};
    callThrough(work, 2);
    *result = holdAcross() + counter;
    done->done();
  }
};

int main() {
  gostack::run([] {
    gostack::wait_group done;
    done.add(1);
    long result = 0;
    gostack::go(Body{&result, &done});
    done.wait();
    // CHECK: result 88, destroyed while reachable: no
    std::printf("result %ld, destroyed while reachable: %s\n", result,
                destroyed.load() ? "yes" : "no");
  });
}
