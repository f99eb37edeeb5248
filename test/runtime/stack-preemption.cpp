// With one worker, a goroutine that never blocks but keeps calling managed
// functions is preempted at a stack check (the monitor poisons its guard
// after 10 ms) and the others run. A loop without managed calls is not
// (as Go before asynchronous preemption).
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: env GOSTACK_MAXPROCS=1 %t | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <chrono>
#include <cstdio>

using Clock = std::chrono::steady_clock;

std::atomic<bool> stop{false};

/// A frame of its own: LLVM leaves the check out of frameless leaves.
[[gostack::managed]] [[gnu::noinline]] long step(long value) {
  volatile long local = value;
  return (local * 3 + 1) % 1000003;
}

[[gostack::managed]] int program() {
  gostack::wait_group done;
  done.add(1);
  Clock::time_point started = Clock::now();
  gostack::go([&] {
    long value = 0;
    // Gives up after 5 s, so a broken preemption fails instead of hanging.
    while (!stop.load() && Clock::now() - started < std::chrono::seconds(5))
      value = step(value);
    done.done();
  });
  // The spinner runs now, on the only worker; this goroutine comes back
  // only if it is preempted.
  gostack::yield();
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      Clock::now() - started);
  stop.store(true);
  done.wait();
  std::printf("main ran again while the spinner spun: %s\n",
              waited < std::chrono::seconds(2) ? "yes" : "no");
  return 0;
}

int main() { return gostack::run(program); }

// CHECK: main ran again while the spinner spun: yes
