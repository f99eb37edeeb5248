//===-- sched/goroutines.cpp - Goroutines before the scheduler ------------===//
//
// Until the M:N scheduler lands, run() executes main_fn directly on the
// calling thread as the one and only goroutine; everything that needs a
// second goroutine stops with a message naming it.
//
//===----------------------------------------------------------------------===//

#include <gostack/gostack.h>

#include <atomic>

namespace gostack {
namespace {
std::atomic<std::size_t> liveGoroutines{0};
} // namespace

void detail::spawn(std::unique_ptr<goroutine_fn>) { not_implemented("go"); }

int detail::run_main(int (*entry)(void *), void *main_fn) {
  liveGoroutines++;
  int result = entry(main_fn);
  liveGoroutines--;
  return result;
}

// Without goroutine stacks every caller already runs on its thread's stack.
void detail::run_on_system_stack(void (*entry)(void *), void *fn) { entry(fn); }

// With a single goroutine there is nothing to switch to.
void yield() {}

std::size_t num_goroutine() { return liveGoroutines.load(); }

bool on_current_stack(const void *) {
  detail::not_implemented("on_current_stack");
}

void wait_group::add(long) { detail::not_implemented("wait_group::add"); }
void wait_group::done() { detail::not_implemented("wait_group::done"); }
void wait_group::wait() { detail::not_implemented("wait_group::wait"); }

} // namespace gostack
