// Stopping the world uses the stack guard too: the collector poisons the
// guard of every running goroutine before it sends its signals, and a
// goroutine that reaches a stack check stops there (gctrace counts the
// threads that did). Here the spinning goroutine's thread blocks the
// collector's signal, so only its stack checks can stop it -- and they do,
// at every collection.
// RUN: %gostack_cxx -O1 %s -o %t %gostack_link
// RUN: env GOSTACK_MAXPROCS=2 GOSTACK_DEBUG=gctrace=1 %t 2>&1 | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <pthread.h>

std::atomic<bool> stop{false}, spinning{false};
std::atomic<long> result{0};

/// A frame of its own: LLVM leaves the check out of frameless leaves.
[[gostack::managed]] [[gnu::noinline]] long step(long value) {
  volatile long local = value;
  return (local * 3 + 1) % 1000003;
}

void blockStopSignal(int how) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGURG);
  pthread_sigmask(how, &signals, nullptr);
}

[[gostack::managed]] int program() {
  gostack::wait_group done;
  done.add(1);
  gostack::go([&] {
    // It never blocks: it stays on its worker thread until it is done.
    blockStopSignal(SIG_BLOCK);
    long value = 0;
    spinning.store(true);
    while (!stop.load(std::memory_order_relaxed))
      value = step(value);
    result.store(value);
    blockStopSignal(SIG_UNBLOCK);
    done.done();
  });
  // Once it spins, the two run on different workers: this one collects
  // while the other is running.
  while (!spinning.load())
    gostack::yield();
  for (int i = 0; i < 100; ++i)
    gostack::gc();
  stop.store(true);
  done.wait();
  std::printf("done\n");
  return 0;
}

int main() { return gostack::run(program); }

// CHECK-COUNT-100: threads (1 at stack checks)
// CHECK: done
