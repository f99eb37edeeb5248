// Go's tracebacks: a deadlock and SIGQUIT print every goroutine with what
// it waits for and its frames (function, file:line); a panic -- an
// exception that leaves a goroutine -- prints the frames that threw, which
// are still there (nothing catches it, so nothing is unwound first).
// RUN: %gostack_cxx -g -O1 %s -o %t %gostack_link
// RUN: not %t deadlock 2>&1 | FileCheck %s --check-prefix=DEADLOCK
// RUN: not %t panic 2>&1 | FileCheck %s --check-prefix=PANIC
// RUN: not %t quit 2>&1 | FileCheck %s --check-prefix=QUIT
// Without the symbolizer: names the module exports, module+offset.
// RUN: env GOSTACK_SYMBOLIZER=off not %t deadlock 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOSYMBOLIZER

#include <gostack/gostack.h>

#include <csignal>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

using namespace gostack;

[[gnu::noinline]] void consume(chan<int> &jobs) {
  jobs.recv();
  std::printf("unreachable\n");
}

[[gnu::noinline]] void produce(chan<int> &results) {
  results.send(1);
  std::printf("unreachable\n");
}

[[gnu::noinline]] void waitForever(chan<int> &a, chan<int> &b) {
  int value;
  select(recv_case(a, value), recv_case(b, value));
  std::printf("unreachable\n");
}

[[gnu::noinline]] void fail(int depth) {
  if (depth == 0)
    throw std::runtime_error("boom");
  fail(depth - 1);
  std::printf("unreachable\n");
}

[[gnu::noinline]] void spin() {
  for (;;)
    yield();
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  return run([&] {
    chan<int> jobs, results;
    wait_group group;
    group.add(1);
    go([&] { consume(jobs); });
    go([&] { produce(results); });
    go([&] { group.wait(); });
    chan<int> quiet, silent;
    go([&] { waitForever(quiet, silent); });
    if (!std::strcmp(mode, "panic"))
      go([] { fail(3); });
    if (!std::strcmp(mode, "quit")) {
      go(spin);
      for (int i = 0; i < 100; ++i)
        yield();
      kill(getpid(), SIGQUIT);
      spin();
    }
    group.wait();
    return 0;
  });
}

// DEADLOCK: fatal error: all goroutines are asleep - deadlock!
// DEADLOCK-EMPTY:
// DEADLOCK-NEXT: goroutine 1 [semacquire]:
// DEADLOCK-NEXT: main::$_0::operator()() const
// DEADLOCK-NEXT: traceback.cpp:70
// DEADLOCK-EMPTY:
// DEADLOCK-NEXT: goroutine 2 [chan receive]:
// DEADLOCK-NEXT: consume(gostack::chan<int>&)
// DEADLOCK-NEXT: traceback.cpp:23
// DEADLOCK: goroutine 3 [chan send]:
// DEADLOCK-NEXT: produce(gostack::chan<int>&)
// DEADLOCK-NEXT: traceback.cpp:28
// DEADLOCK: goroutine 4 [semacquire]:
// DEADLOCK: goroutine 5 [select]:
// DEADLOCK-NEXT: waitForever(gostack::chan<int>&, gostack::chan<int>&)
// DEADLOCK-NEXT: traceback.cpp:34

// PANIC: panic: uncaught exception std::runtime_error: boom
// PANIC-EMPTY:
// PANIC-NEXT: goroutine 6 [running]:
// PANIC-NEXT: fail(int)
// PANIC-NEXT: traceback.cpp:40
// PANIC-NEXT: fail(int)
// PANIC-NEXT: traceback.cpp:41
// PANIC-NOT: goroutine

// QUIT: SIGQUIT: quit
// QUIT: goroutine 1 [{{running|runnable}}]:
// QUIT: goroutine 2 [chan receive]:
// QUIT-NEXT: consume(gostack::chan<int>&)
// QUIT: goroutine 6 [{{running|runnable}}]:

// NOSYMBOLIZER: goroutine 2 [chan receive]:
// NOSYMBOLIZER-NEXT: consume(gostack::chan<int>&)
// NOSYMBOLIZER-NEXT: {{/.*}}traceback.cpp.tmp+0x{{[0-9a-f]+}}
