// A coroutine's frame lives in the heap: nothing in it stays on a stack.
// RUN: %verify -fplugin-arg-gostack-m %s

#include <coroutine>

struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};

[[gostack::managed]] Task coroutine(int *p) {
  // expected-remark@-1 {{moved to heap: p}}
  int local = *p; // expected-remark {{moved to heap: local}}
  co_await std::suspend_never{};
  (void)local;
}
