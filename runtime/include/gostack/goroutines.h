//===-- gostack/goroutines.h - Goroutines -----------------------*- C++ -*-===//
//
/// \file
/// go, run, yield, systemstack, goroutine_local and num_goroutine: Go's
/// goroutines, run M:N on worker threads on stacks that grow.
///
///   int main() {
///     return gostack::run([] {            // main_fn: the first goroutine
///       gostack::chan<int> done;
///       gostack::go([=]() mutable { done.send(1); });
///       return done.recv() - 1;
///     });
///   }
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_GOROUTINES_H
#define GOSTACK_GOROUTINES_H

#include "gostack/attributes.h"

#include <cstddef>
#include <functional>
#include <new>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace gostack {

namespace detail {

/// A goroutine's entry point, type-erased. It lives at the top of the
/// goroutine's own stack (as Go copies a go statement's arguments there),
/// so the collector sees what it captures; the goroutine destroys it when
/// it has run.
struct goroutine_fn {
  virtual ~goroutine_fn() = default;
  virtual void run() = 0;
};
/// Constructs a goroutine's function object at \p where from \p arguments.
using goroutine_builder = goroutine_fn *(*)(void *where, void *arguments);
/// Starts a goroutine whose function object (\p size bytes aligned to
/// \p align) \p build makes on the new stack.
void spawn(std::size_t size, std::size_t align, goroutine_builder build,
           void *arguments);

int run_main(int (*entry)(void *), void *main_fn);
void run_on_system_stack(void (*entry)(void *), void *fn);

/// A key of its own for each goroutine_local.
std::size_t goroutine_local_key();
/// The running goroutine's value for \p key -- the thread's outside
/// goroutines -- made by make(maker) on first use and destroyed by
/// destroy(value) when the goroutine (or thread) ends.
void *goroutine_local_get(std::size_t key, void *(*make)(const void *),
                          GOSTACK_NOESCAPE const void *maker,
                          void (*destroy)(void *));

} // namespace detail

/// go(f, args...) starts a goroutine running f(args...). f and args are
/// decay-copied first, as std::thread does.
template <class F, class... Args> void go(F &&f, Args &&...args) {
  struct closure final : detail::goroutine_fn {
    std::decay_t<F> fn;
    std::tuple<std::decay_t<Args>...> arguments;
    closure(F &&f, Args &&...args)
        : fn(std::forward<F>(f)), arguments(std::forward<Args>(args)...) {}
    // Managed, and calling f itself when there are no arguments: so that at
    // -O0 too the frames of a goroutine are all managed, and its stack is
    // scanned by its stack maps (docs/STACKS.md).
    GOSTACK_MANAGED_ENTRY void run() override {
      if constexpr (sizeof...(Args) == 0)
        std::move(fn)();
      else
        std::apply(std::move(fn), std::move(arguments));
    }
  };
  auto forwarded =
      std::forward_as_tuple(std::forward<F>(f), std::forward<Args>(args)...);
  detail::spawn(
      sizeof(closure), alignof(closure),
      [](void *where, void *arguments) -> detail::goroutine_fn * {
        return std::apply(
            [where](auto &&...values) {
              return ::new (where)
                  closure(std::forward<decltype(values)>(values)...);
            },
            std::move(*static_cast<decltype(forwarded) *>(arguments)));
      },
      &forwarded);
}

/// run(main_fn) starts the runtime, runs main_fn as the first goroutine and
/// returns when it returns, as Go's main: with its int result, or 0.
template <class F> int run(F main_fn) {
  auto entry = [](void *fn) -> int {
    F &main = *static_cast<F *>(fn);
    if constexpr (std::is_convertible_v<std::invoke_result_t<F &>, int>)
      return std::invoke(main);
    else
      return std::invoke(main), 0;
  };
  return detail::run_main(entry, &main_fn);
}

/// goroutine_local<T> is one T per goroutine: what thread_local is to
/// threads, for code that runs on whichever worker thread its goroutine is
/// on (a goroutine may resume on another after every operation that parks).
/// Outside goroutines it is one T per thread. Each value is made on its
/// goroutine's first use and destroyed when that goroutine ends; a
/// reference to it stays valid until then, on any worker. Meant for
/// variables of static storage duration, as thread_local.
///
///   gostack::goroutine_local<int> depth;       // at namespace scope
///   void enter() { ++*depth; }                 // this goroutine's count
///   gostack::goroutine_local<std::string> name{"worker"};
template <class T> class goroutine_local {
public:
  /// Each goroutine's value starts value-initialised.
  goroutine_local() = default;
  /// Each goroutine's value starts as a copy of \p initial.
  explicit goroutine_local(T initial) : initial_(std::move(initial)) {
    static_assert(std::is_copy_constructible_v<T>,
                  "goroutine_local<T>(initial): each goroutine's value is a "
                  "copy of initial");
  }
  goroutine_local(const goroutine_local &) = delete;
  goroutine_local &operator=(const goroutine_local &) = delete;

  /// The running goroutine's value.
  T &get() {
    return *static_cast<T *>(
        detail::goroutine_local_get(key_, &make, this, &destroy));
  }
  T &operator*() { return get(); }
  T *operator->() { return &get(); }

private:
  static void *make(const void *maker) {
    const auto &self = *static_cast<const goroutine_local *>(maker);
    if constexpr (std::is_copy_constructible_v<T>)
      if (self.initial_)
        return new T(*self.initial_);
    return new T();
  }
  static void destroy(void *value) { delete static_cast<T *>(value); }

  std::size_t key_ = detail::goroutine_local_key();
  std::optional<T> initial_;
};

/// systemstack(f) runs f() on the thread's own large stack, for deep native
/// code that must not run on a small goroutine stack.
template <class F> void systemstack(F f) {
  detail::run_on_system_stack([](void *fn) { (*static_cast<F *>(fn))(); }, &f);
}

/// yield() lets other goroutines run (Go's runtime.Gosched).
GOSTACK_MAY_PARK void yield();
/// The number of live goroutines.
std::size_t num_goroutine();
/// Whether p points into the running goroutine's stack.
bool on_current_stack(GOSTACK_NOESCAPE const void *p);

} // namespace gostack

#endif // GOSTACK_GOROUTINES_H
