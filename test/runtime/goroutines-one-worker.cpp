// With one worker (GOSTACK_MAXPROCS=1): a goroutine that spins calling
// yield() lets the others run, and so does one that only starts goroutines;
// a goroutine blocked in a system call does not stall the others (the
// monitor hands them a new worker); num_goroutine
// counts the live goroutines, main included; a goroutine that has not
// started yet keeps what its function captured through a collection.
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: env GOSTACK_MAXPROCS=1 %t | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>

using Clock = std::chrono::steady_clock;

long millisecondsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
                                                               start)
      .count();
}

/// A collection, then garbage of every small size, so that anything freed
/// is reused and overwritten.
[[gnu::noinline]] void collectAndScribble() {
  gostack::gc();
  for (int i = 0; i < 100000; ++i) {
    std::size_t size = 8 * (1 + i % 32);
    std::memset(gostack::detail::gc_alloc(size, 8, nullptr, nullptr), 0xff,
                size);
  }
}

int main() {
  return gostack::run([] {
    std::printf("goroutines at start: %zu\n", gostack::num_goroutine());
    // CHECK: goroutines at start: 1

    // Not started yet (the one worker runs main, and nothing has added a
    // second yet): only each goroutine's function object holds the
    // captured pointer.
    gostack::wait_group checked;
    std::atomic<int> intact{0};
    for (int i = 0; i < 8; ++i) {
      checked.add(1);
      gostack::go(
          [&](std::uint64_t *captured) {
            intact += *captured == 0x5ca1ab1e;
            checked.done();
          },
          gostack::go_new<std::uint64_t>(0x5ca1ab1e));
    }
    collectAndScribble();
    checked.wait();
    std::printf("captured objects intact: %d of 8\n", intact.load());
    // CHECK: captured objects intact: 8 of 8

    // Two goroutines counting and yielding take turns on the one worker:
    // when this one is done, the other has counted nearly as far. Not
    // exactly: a yield queues globally, and every 61st time slice the
    // global queue goes first, which gives this one an extra turn now and
    // then: 968 of 1000 here; Go 1.19's Gosched, 967 to 1000, depending on
    // where its count of slices stands when the two start.
    std::atomic<int> theirs{0};
    gostack::go([&] {
      for (int i = 0; i < 1000; ++i) {
        theirs++;
        gostack::yield();
      }
    });
    std::printf("goroutines after go: %zu\n", gostack::num_goroutine());
    // CHECK: goroutines after go: 2
    for (int i = 0; i < 1000; ++i)
      gostack::yield();
    std::printf("taking turns: %s\n", theirs.load() >= 950 ? "yes" : "no");
    // CHECK: taking turns: yes

    // A loop that calls no managed function but starts goroutines is
    // preempted at its go statements, as Go's: what it started runs
    // meanwhile, and a million of them are not all alive at once.
    std::atomic<long> ran{0};
    gostack::wait_group all;
    long started = 0;
    for (Clock::time_point loop = Clock::now(); millisecondsSince(loop) < 100;
         ++started) {
      all.add(1);
      gostack::go([&] {
        ran++;
        all.done();
      });
    }
    long ranDuringLoop = ran.load();
    all.wait();
    std::printf("started while looping: %s\n",
                ranDuringLoop > 0 ? "some ran" : "none ran");
    // CHECK: started while looping: some ran
    std::printf("all ran: %s\n", ran.load() == started ? "yes" : "no");
    // CHECK: all ran: yes

    gostack::wait_group sleeping;
    sleeping.add(1);
    gostack::go([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      sleeping.done();
    });
    Clock::time_point start = Clock::now();
    gostack::yield(); // the sleeper takes the only worker
    gostack::chan<long> finished;
    gostack::go([&] { finished.send(millisecondsSince(start)); });
    long took = finished.recv();
    std::printf("while one sleeps, another finished %s\n",
                took < 250 ? "in time" : "too late");
    // CHECK: while one sleeps, another finished in time
    sleeping.wait();
  });
}
