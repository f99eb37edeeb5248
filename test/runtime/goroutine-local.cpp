// gostack::goroutine_local<T>: one value per goroutine, whichever worker it
// runs on -- unlike thread_local, whose address a goroutine may read from
// its old thread after it moved. Each value is made on first use (from the
// initial value), stays at one address across parks, yields and stack
// moves, is destroyed when its goroutine ends, keeps the GC objects it
// points to alive; outside goroutines each thread has its own.
// RUN: %gostack_cxx -fplugin-arg-gostack-managed=all -O2 %s -o %t %gostack_link
// RUN: env GOSTACK_MAXPROCS=4 %t | FileCheck %s
// RUN: env GOSTACK_MAXPROCS=1 %t | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

constexpr int Goroutines = 200;
constexpr int Rounds = 50;

std::atomic<int> wrong{0}, destroyed{0};

void expect(bool right) {
  if (!right)
    wrong.fetch_add(1, std::memory_order_relaxed);
}

struct Counter {
  int value = 0;
  ~Counter() { destroyed.fetch_add(1, std::memory_order_relaxed); }
};

struct Node {
  long payload;
};

gostack::goroutine_local<Counter> counter;
gostack::goroutine_local<std::string> name{"unnamed"};
gostack::goroutine_local<Node *> kept; // the only pointer to a GC object

[[gnu::noinline]] long deep(long depth) {
  volatile char frame[512];
  frame[0] = static_cast<char>(depth);
  return depth ? deep(depth - 1) + frame[0] : 0;
}

int main() {
  int result = gostack::run([] {
    expect(*name == "unnamed");
    *name = "main";
    gostack::chan<int> done(Goroutines);
    for (int id = 0; id < Goroutines; ++id)
      gostack::go([id, done]() mutable {
        Counter &mine = *counter;
        expect(*name == "unnamed");
        *name = "goroutine " + std::to_string(id);
        *kept = gostack::go_new<Node>(Node{id});
        for (int round = 0; round < Rounds; ++round) {
          ++counter->value;
          gostack::yield();
          deep(100);
          if (round % 10 == 0)
            gostack::gc();
        }
        expect(&*counter == &mine && mine.value == Rounds);
        expect(*name == "goroutine " + std::to_string(id));
        expect((*kept)->payload == id);
        done.send(1);
      });
    for (int id = 0; id < Goroutines; ++id)
      done.recv();
    // Each has sent, and ends (destroying its values) right after.
    while (gostack::num_goroutine() > 1)
      gostack::yield();
    expect(*name == "main" && counter->value == 0);
    return 0;
  });
  // Every goroutine's Counter was destroyed when it ended (the main
  // goroutine's with it).
  std::printf("goroutine_local: %d goroutines, %d wrong, %d destroyed\n",
              Goroutines, wrong.load(), destroyed.load());
  // CHECK: goroutine_local: 200 goroutines, 0 wrong, 201 destroyed

  // Outside goroutines: one value per thread, destroyed at thread exit.
  ++counter->value;
  std::thread([] { expect(counter->value == 0); }).join();
  std::printf("threads: %d, %d wrong, %d destroyed\n", counter->value,
              wrong.load(), destroyed.load());
  // CHECK: threads: 1, 0 wrong, 202 destroyed
  return result;
}
