// A variable moved to the heap is destroyed as a go_new object is: when the
// collector frees it, once -- not at the end of its scope, where pointers to
// it may still be in use. Arrays destroy every element; a moved parameter
// is a heap copy, destroyed the same way (the caller destroys its own).
// RUN: %gostack_cxx %s -o %t %gostack_link && %t | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

std::atomic<int> destroyed{0};

struct Tracked {
  int value = 7;
  ~Tracked() { destroyed++; }
};

const void *volatile keep;

GOSTACK_MANAGED void local() {
  Tracked t;
  keep = &t;
}

GOSTACK_MANAGED void array() {
  Tracked three[3];
  keep = &three[1];
}

GOSTACK_MANAGED void parameter(Tracked t) { keep = &t; }

GOSTACK_MANAGED void string() {
  std::string name(100, 'x'); // a malloc'd buffer its destructor frees
  keep = &name;
}

void collect(const char *what, void (*f)()) {
  std::thread(f).join(); // no stale copy of the pointer on a live stack
  int atReturn = destroyed.exchange(0);
  keep = nullptr;
  gostack::gc();
  gostack::gc();
  std::printf("%s: %d at return, %d collected\n", what, atReturn,
              destroyed.exchange(0));
}

int main() {
  collect("local", local);
  // CHECK: local: 0 at return, 1 collected
  collect("array", array);
  // CHECK: array: 0 at return, 3 collected
  collect("parameter", [] { parameter(Tracked{}); });
  // CHECK: parameter: 1 at return, 1 collected
  std::size_t before = gostack::read_mem_stats().frees;
  collect("string", string);
  // CHECK: string: 0 at return, 0 collected
  // Its memory is freed once destroyed; a stale copy of the pointer on the
  // finalizer thread's stack (scanned conservatively) may delay that by a
  // collection or two.
  for (int i = 0; i < 10 && gostack::read_mem_stats().frees == before; ++i)
    gostack::gc();
  std::printf("freed: %s\n",
              gostack::read_mem_stats().frees > before ? "yes" : "no");
  // CHECK: freed: yes
}
