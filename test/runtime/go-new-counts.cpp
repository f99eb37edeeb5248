// A program built with the plugin links the runtime, and every go_new is
// counted in read_mem_stats().mallocs; built without the plugin it behaves
// the same.
// RUN: %gostack_cxx %s -o %t %gostack_link && %t | FileCheck %s
// RUN: %plain_cxx %s -o %t.plain %gostack_link && %t.plain | FileCheck %s

#include <gostack/gostack.h>

#include <cstdio>

struct Pair {
  long first, second;
};

GOSTACK_MANAGED Pair *make(long a, long b) {
  return gostack::go_new<Pair>(a, b);
}

int main() {
  gostack::mem_stats before = gostack::read_mem_stats();
  long sum = 0;
  for (long i = 0; i < 5; ++i) {
    Pair *p = make(i, 2 * i);
    sum += p->first + p->second;
    if (!gostack::in_gc_heap(p))
      std::printf("not in the GC heap\n");
  }
  gostack::mem_stats after = gostack::read_mem_stats();
  std::printf("sum=%ld mallocs=%llu bytes=%llu\n", sum,
              (unsigned long long)(after.mallocs - before.mallocs),
              (unsigned long long)(after.total_alloc - before.total_alloc));
  // CHECK-NOT: not in the GC heap
  // CHECK: sum=30 mallocs=5 bytes=80
}
