// fork() in a program whose other threads allocate: the child starts with
// one thread, and must not inherit a lock of the C heap that one of the
// others held, or its first malloc waits for ever. Each child allocates
// small and large blocks (the page heap's lock) and exits; a child that
// hangs is killed by its alarm and counted. Each child also collects: the
// parent's marking helpers (four markers) were not copied, and the child's
// collection must not wait for them.
// RUN: %gostack_cxx -O1 %s -o %t %gostack_link && env GOSTACK_MAXPROCS=4 %t | FileCheck %s
// Not under ASan: its own allocator's quarantine lock can be inherited
// locked by a child (LLVM 19: a child hangs in Quarantine::Drain, in
// AddressSanitizer's free).
// UNSUPPORTED: sanitizer

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

int main() {
  std::atomic<bool> stop{false};
  std::vector<std::thread> allocators;
  for (int t = 0; t < 4; ++t)
    allocators.emplace_back([&, t] {
      unsigned seed = t;
      while (!stop.load(std::memory_order_relaxed)) {
        // Small blocks, and large ones of changing sizes: spans and runs
        // come and go under the heap's locks.
        std::size_t size = (rand_r(&seed) % 2) ? 16 + rand_r(&seed) % 4096
                                               : 40000 + rand_r(&seed) % 400000;
        void *block = std::malloc(size);
        static_cast<volatile char *>(block)[0] = 1;
        std::free(block);
      }
    });
  gostack::gc(); // hires the marking helpers
  int hung = 0, forks = 200;
  for (int i = 0; i < forks; ++i) {
    pid_t child = fork();
    if (child == 0) {
      alarm(5);
      for (std::size_t size : {24, 3000, 50000, 300000, 2000000}) {
        void *block = std::malloc(size);
        static_cast<volatile char *>(block)[0] = 1;
        std::free(block);
      }
      auto *kept = new std::vector<int>(1000, 1);
      delete kept;
      auto *collected = gostack::go_new<std::vector<int>>(1000, 1);
      gostack::gc();
      _exit((*collected)[999] == 1 ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      ++hung;
  }
  stop.store(true);
  for (std::thread &thread : allocators)
    thread.join();
  std::printf("%d forks, %d children hung\n", forks, hung);
}

// CHECK: 200 forks, 0 children hung
