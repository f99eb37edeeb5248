// A misspelt GOSTACK_ variable, an unknown GOSTACK_DEBUG key and a value
// that is not a number are each said once on stderr, as warnings; the
// program runs with the defaults.
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: env GOSTACK_DEBUG=stakmove=1,stackmove=true,gctrace=0 \
// RUN:   GOSTACK_MAXPROC=2 GOSTACK_TRACEBACK=everything %t 2>&1 | FileCheck %s
// RUN: env GOSTACK_DEBUG=gctrace=0 %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QUIET --implicit-check-not=gostack:

#include <gostack/gostack.h>

#include <cstdio>

int main() {
  return gostack::run([] {
    gostack::wait_group done;
    for (int i = 0; i < 4; ++i) {
      done.add(1);
      gostack::go([&] {
        gostack::gc();
        done.done();
      });
    }
    done.wait();
    std::printf("ran\n");
    return 0;
  });
}

// CHECK-DAG: gostack: unknown environment variable GOSTACK_MAXPROC ignored (known: GOSTACK_GC, GOSTACK_MAXPROCS, GOSTACK_DEBUG, GOSTACK_TRACEBACK, GOSTACK_SYMBOLIZER)
// CHECK-DAG: gostack: GOSTACK_DEBUG: unknown setting 'stakmove' ignored (known: gccheckmark, gcstoptheworld, gctrace, lentcheck, stackcheck, stackfaultonfree, stackmapsoff, stackmove)
// CHECK-DAG: gostack: GOSTACK_DEBUG: 'stackmove=true' needs a number (stackmove=1); ignored
// CHECK-DAG: gostack: GOSTACK_TRACEBACK=everything is neither 'single' nor 'system'; using single
// CHECK-NOT: gostack:
// CHECK: ran
// CHECK-NOT: gostack:

// QUIET: ran
