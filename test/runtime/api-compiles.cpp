// Code written against the whole API of CONTRACT section 4 compiles today,
// with the plugin, without it, and with GCC (where GOSTACK_MANAGED expands
// to nothing).
// RUN: %gostack_cxx -fsyntax-only -Wall -Wextra -Werror %s
// RUN: %plain_cxx -fsyntax-only -Wall -Wextra -Werror %s
// RUN: %if gcc %{ g++ -std=c++20 -fsyntax-only -Wall -Wextra -Werror %runtime_include %s %}

#include <gostack/gostack.h>

#include <cstddef>
#include <string>

struct Point {
  int x, y;
};

GOSTACK_MANAGED int everything() {
  Point *p = gostack::go_new<Point>(1, 2);
  std::string *s = gostack::go_new<std::string>("gopher");
  int *zero = gostack::go_new<int>();

  gostack::chan<int> numbers(4);
  gostack::chan<std::string> unbuffered;
  gostack::chan<int> alias = numbers; // a handle, as in Go
  gostack::wait_group wg;
  wg.add(1);
  gostack::go(
      [&wg, alias](int n) mutable {
        alias.send(n);
        wg.done();
      },
      42);
  wg.wait();
  int got = numbers.recv();
  int maybe = 0;
  bool ready = numbers.try_recv(maybe);
  numbers.close();
  unbuffered.close();

  gostack::systemstack([] {});
  gostack::yield();
  gostack::gc();
  gostack::mem_stats stats = gostack::read_mem_stats();
  std::size_t live = gostack::num_goroutine();
  bool onStack = gostack::on_current_stack(&got);
  bool inHeap = gostack::in_gc_heap(p);
  return p->x + int(s->size()) + *zero + got + maybe + ready +
         int(stats.heap_alloc + stats.total_alloc + stats.mallocs +
             stats.frees + stats.num_gc + stats.stack_inuse +
             stats.stack_copies + live) +
         onStack + inHeap;
}

int main() { return gostack::run(everything); }
