// The collector stops threads with SIGURG. A program's own SIGURG handler,
// installed before the runtime starts or while it runs, still gets every
// SIGURG that is not the collector's, and collections keep working (they
// do not stall waiting for threads whose handler is the program's).
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: %t 2>&1 | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <pthread.h>

std::atomic<int> beforeCalls{0}, laterCalls{0};

void before(int) { beforeCalls.fetch_add(1); }
void later(int, siginfo_t *, void *) { laterCalls.fetch_add(1); }

/// Collections from many goroutines, then SIGURG sent to this thread.
void collectAndSignal(const char *phase, std::atomic<int> &calls) {
  gostack::wait_group done;
  for (int i = 0; i < 8; ++i) {
    done.add(1);
    gostack::go([&] {
      for (int j = 0; j < 5; ++j) {
        gostack::go_new<int>(j);
        gostack::gc();
      }
      done.done();
    });
  }
  done.wait();
  int before = calls.load();
  pthread_kill(pthread_self(), SIGURG);
  std::printf("%s: handler called %d time(s)\n", phase, calls.load() - before);
}

int main() {
  signal(SIGURG, before);
  return gostack::run([] {
    collectAndSignal("installed first", beforeCalls);
    struct sigaction action = {};
    action.sa_sigaction = later;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGURG, &action, nullptr);
    collectAndSignal("installed later", laterCalls);
    return 0;
  });
}

// CHECK: installed first: handler called 1 time(s)
// CHECK: installed later: handler called 1 time(s)
