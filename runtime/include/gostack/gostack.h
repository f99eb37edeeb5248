//===-- gostack/gostack.h - Go's memory model for C++ -----------*- C++ -*-===//
//
/// \file
/// The whole public API of the gostack runtime (CONTRACT section 4).
///
/// Code written against this header compiles with any C++20 compiler. Built
/// with Clang 19 and -fplugin=libgostack-plugin.so, managed functions also
/// get escape analysis, stack allocation of non-escaping go_new objects and
/// growable stacks.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_GOSTACK_H
#define GOSTACK_GOSTACK_H

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "gostack/detail/rewrite.h"

/// Marks a function managed, like [[gostack::managed]], in a spelling that
/// every compiler and editor accepts without a warning (clangd never loads
/// plugins). The plugin treats both spellings alike.
#if defined(__clang__)
#define GOSTACK_MANAGED [[clang::annotate("gostack.managed")]]
/// A pointer parameter the function does not keep: asking about an address
/// does not move the variable to the heap.
#define GOSTACK_NOESCAPE [[clang::noescape]]
/// A function that can park its goroutine, which may then resume on another
/// worker thread: the plugin warns about thread_local variables used after
/// a call to it (docs/SCHEDULER.md, "C++ runtime state").
#define GOSTACK_MAY_PARK [[clang::annotate("gostack.may_park")]]
#else
#define GOSTACK_MANAGED
#define GOSTACK_NOESCAPE
#define GOSTACK_MAY_PARK
#endif

namespace gostack {

/// Memory statistics, as Go's runtime.MemStats.
struct mem_stats {
  std::uint64_t heap_alloc = 0;     ///< bytes of live heap objects
  std::uint64_t total_alloc = 0;    ///< bytes allocated, ever
  std::uint64_t mallocs = 0;        ///< heap objects allocated, ever
  std::uint64_t frees = 0;          ///< heap objects freed, ever
  std::uint64_t num_gc = 0;         ///< completed collections
  std::uint64_t stack_inuse = 0;    ///< bytes in goroutine stacks
  std::uint64_t stack_copies = 0;   ///< stack moves (growth and shrinking)
  std::uint64_t pause_total_ns = 0; ///< the world stopped, all collections
  std::uint64_t last_pause_ns = 0;  ///< the world stopped, last collection
};

namespace detail {

/// Prints "fatal error: gostack: MESSAGE" and exits with status 2, as Go's
/// runtime does for unrecoverable errors.
[[noreturn]] void fatal(const char *message);

/// Which words of a T can hold pointers, for the collector. Element 0 says
/// whether the rest is known: 1 when the plugin has filled it in from T's
/// record layout (bit i of the elements that follow: word i of T can hold a
/// pointer), 0 without the plugin -- then every word is scanned.
template <class T>
inline constexpr std::uint64_t pointer_map[1 + (sizeof(T) / 8 + 63) / 64] = {};

/// The object gc_alloc returned at \p object was never constructed: the
/// collector frees it without destroying it.
void gc_abandon(void *object);

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

/// How a channel moves values of its element type, type-erased.
struct chan_ops {
  std::size_t size, align;
  /// Constructs at \p to from \p from, moving.
  void (*move_construct)(void *to, void *from);
  /// Constructs the zero value (value-initialised) at \p to.
  void (*construct_zero)(void *to);
  void (*destroy)(void *object);
};

template <class T>
inline constexpr chan_ops chan_ops_of = {
    sizeof(T), alignof(T),
    [](void *to, void *from) {
      ::new (to) T(std::move(*static_cast<T *>(from)));
    },
    [](void *to) { ::new (to) T(); },
    [](void *object) { static_cast<T *>(object)->~T(); }};

class chan_core;
enum class recv_result { received, closed, empty };
// The channel functions keep the channel (GC or malloc memory, never a
// stack) and, only while the goroutine is parked, the value's address: for
// the escape analysis the pointers do not escape (GOSTACK_NOESCAPE). What a
// send moves into the channel does escape: chan<T>::send says so.
chan_core *chan_make(std::size_t capacity, const chan_ops *ops);
void chan_retain(GOSTACK_NOESCAPE chan_core *core);
void chan_release(GOSTACK_NOESCAPE chan_core *core);
/// Moves from \p value (the caller still destroys it).
void chan_send(GOSTACK_NOESCAPE chan_core *core, void *value);
/// Constructs the value received, or the zero value when closed, at \p out
/// (raw storage); with \p block false, nothing when none is ready (empty).
recv_result chan_recv(GOSTACK_NOESCAPE chan_core *core,
                      GOSTACK_NOESCAPE void *out, bool block);
void chan_close(GOSTACK_NOESCAPE chan_core *core);

/// One case of a select: send the value at \p element, or receive into the
/// raw storage at \p element (\p received: a value, not closed).
struct select_case {
  chan_core *channel;
  void *element;
  bool send;
  bool received;
};
/// The index of the case that proceeded; with \p block false, \p count
/// when none was ready.
std::size_t chan_select(select_case *cases, std::size_t count, bool block);

int run_main(int (*entry)(void *), void *main_fn);
void run_on_system_stack(void (*entry)(void *), void *fn);

} // namespace detail

namespace detail {

/// Builds a T at \p where from \p args: the one construction both places of
/// a go_new object share, the GC heap (\p owner is null) and a frame slot
/// the plugin substitutes for a call that does not escape.
template <class T, class... Args>
T *construct(void *where, lifetime_owner *owner, Args &&...args) {
  constexpr bool HasDestructor = !std::is_trivially_destructible_v<T>;
  if constexpr (HasDestructor)
    if (owner)
      owner->release();
  T *object;
  if constexpr (std::is_constructible_v<T, Args &&...>)
    object = ::new (where) T(std::forward<Args>(args)...);
  else
    object = ::new (where) T{std::forward<Args>(args)...};
  if constexpr (HasDestructor)
    if (owner)
      owner->adopt(object, &destroy_object<T>);
  return object;
}

} // namespace detail

namespace detail {
/// Forgets the destroyer of a heap object whose constructor throws.
struct abandon_unless_constructed {
  void *object;
  bool constructed = false;
  ~abandon_unless_constructed() {
    if (!constructed)
      gc_abandon(object);
  }
};
} // namespace detail

/// go_new<T>(args...) returns a new T owned by the garbage collector,
/// constructed from args (value-initialised when there are none); its
/// destructor runs after the collector finds it unreachable. Within a
/// managed function the plugin places it in the frame instead when it does
/// not escape.
template <class T, class... Args> T *go_new(Args &&...args) {
  static_assert(!std::is_array_v<T> && !std::is_reference_v<T>,
                "go_new<T>: T must be an object type");
  if constexpr (std::is_trivially_destructible_v<T>) {
    return detail::construct<T>(detail::gc_alloc(sizeof(T), alignof(T),
                                                 detail::pointer_map<T>,
                                                 nullptr),
                                nullptr, std::forward<Args>(args)...);
  } else {
    detail::abandon_unless_constructed guard{
        detail::gc_alloc(sizeof(T), alignof(T), detail::pointer_map<T>,
                         &detail::destroy_object<T>)};
    T *object = detail::construct<T>(guard.object, nullptr,
                                     std::forward<Args>(args)...);
    guard.constructed = true;
    return object;
  }
}

/// go(f, args...) starts a goroutine running f(args...). f and args are
/// decay-copied first, as std::thread does.
template <class F, class... Args> void go(F &&f, Args &&...args) {
  struct closure final : detail::goroutine_fn {
    std::decay_t<F> fn;
    std::tuple<std::decay_t<Args>...> arguments;
    closure(F &&f, Args &&...args)
        : fn(std::forward<F>(f)), arguments(std::forward<Args>(args)...) {}
    void run() override { std::apply(std::move(fn), std::move(arguments)); }
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

/// chan<T> is a Go channel. It is a handle: copies refer to the same channel.
/// chan<T>(0) is unbuffered. Blocking parks the goroutine, never its thread
/// (a thread that is not running a goroutine blocks itself). T must be
/// default-constructible: its value-initialised value is the zero value a
/// closed channel yields.
template <class T> class chan {
public:
  explicit chan(std::size_t capacity = 0)
      : core_(detail::chan_make(capacity, &detail::chan_ops_of<T>)) {}
  chan(const chan &other) : core_(other.core_) { detail::chan_retain(core_); }
  chan &operator=(const chan &other) {
    detail::chan_retain(other.core_);
    detail::chan_release(core_);
    core_ = other.core_;
    return *this;
  }
  ~chan() { detail::chan_release(core_); }

  /// Sends v, blocking until there is room or a receiver. Sending on a
  /// closed channel stops the program (Go's panic).
  GOSTACK_MAY_PARK void send(T v) { detail::chan_send(core_, &v); }
  /// Receives a value; from a closed, drained channel, T's zero value.
  GOSTACK_MAY_PARK T recv() {
    T out{};
    recv(out);
    return out;
  }
  /// Receives into \p out, blocking; false when the channel is closed and
  /// drained (out is then the zero value), as Go's `v, ok := <-c`.
  GOSTACK_MAY_PARK bool recv(T &out) {
    return receive(out, true) == detail::recv_result::received;
  }
  /// Receives without blocking; false when nothing was ready, or the
  /// channel is closed and drained.
  bool try_recv(T &out) {
    return receive(out, false) == detail::recv_result::received;
  }
  /// Closes the channel: receivers drain it, then get the zero value.
  /// Closing it twice stops the program (Go's panic).
  void close() { detail::chan_close(core_); }

private:
  template <class U> friend struct recv_case;
  template <class U> friend struct send_case;

  detail::recv_result receive(T &out, bool block) {
    alignas(T) unsigned char slot[sizeof(T)];
    detail::recv_result result = detail::chan_recv(core_, slot, block);
    if (result != detail::recv_result::empty) {
      T *value = reinterpret_cast<T *>(slot);
      out = std::move(*value);
      value->~T();
    }
    return result;
  }

  detail::chan_core *core_;
};

/// select(cases...) waits until one case can proceed and performs it, as
/// Go's select: a random one when several can. It returns the position of
/// that case; a default_case makes it not wait (its position when no other
/// case is ready).
///
///   switch (gostack::select(gostack::recv_case(a, value, &ok),
///                           gostack::send_case(b, 42),
///                           gostack::default_case())) { ... }
template <class T> struct recv_case {
  /// Receives into \p out; *ok (if given) is false for a closed, drained
  /// channel, and out is then the zero value.
  recv_case(chan<T> &channel, T &out, bool *ok = nullptr)
      : channel(channel), out(out), ok(ok) {}
  detail::select_case describe() {
    return {channel.core_, slot, /*send=*/false, false};
  }
  void finish(const detail::select_case &done) {
    T *value = reinterpret_cast<T *>(slot);
    out = std::move(*value);
    value->~T();
    if (ok)
      *ok = done.received;
  }
  chan<T> &channel;
  T &out;
  bool *ok;
  alignas(T) unsigned char slot[sizeof(T)];
};

template <class T> struct send_case {
  /// Sends \p value (sending on a closed channel panics, as Go).
  send_case(chan<T> &channel, T value)
      : channel(channel), value(std::move(value)) {}
  detail::select_case describe() {
    return {channel.core_, &value, /*send=*/true, false};
  }
  void finish(const detail::select_case &) {}
  chan<T> &channel;
  T value;
};

struct default_case {};

template <class... Cases>
GOSTACK_MAY_PARK std::size_t select(Cases &&...cases) {
  constexpr std::size_t Count = sizeof...(Cases);
  constexpr bool HasDefault =
      (std::is_same_v<std::decay_t<Cases>, default_case> || ...);
  detail::select_case operations[Count];
  std::size_t position[Count], channels = 0, defaultPosition = 0, index = 0;
  auto describe = [&](auto &option) {
    if constexpr (std::is_same_v<std::decay_t<decltype(option)>, default_case>)
      defaultPosition = index;
    else
      operations[channels] = option.describe(), position[channels++] = index;
    ++index;
  };
  (describe(cases), ...);
  std::size_t chosen =
      detail::chan_select(operations, channels, /*block=*/!HasDefault);
  if (chosen == channels)
    return defaultPosition;
  index = 0;
  auto finish = [&](auto &option) {
    if constexpr (!std::is_same_v<std::decay_t<decltype(option)>, default_case>)
      if (index++ == chosen)
        option.finish(operations[chosen]);
  };
  (finish(cases), ...);
  return position[chosen];
}

namespace detail {
/// Goroutines (or threads) waiting, first in first out.
struct wait_queue {
  void *head = nullptr, *tail = nullptr;
};
} // namespace detail

/// wait_group waits for a collection of goroutines, as Go's sync.WaitGroup.
class wait_group {
public:
  wait_group() = default;
  wait_group(const wait_group &) = delete;
  wait_group &operator=(const wait_group &) = delete;

  /// Adds n (may be negative) to the counter; at zero the waiters go on.
  /// A negative counter stops the program (Go's panic).
  void add(long n);
  void done();
  /// Blocks until the counter is zero.
  GOSTACK_MAY_PARK void wait();

private:
  std::atomic<std::uint32_t> lock_{0}; ///< the runtime's futex lock
  std::atomic<long> count_{0};
  detail::wait_queue waiters_;
};

namespace detail {
/// A key of its own for each goroutine_local.
std::size_t goroutine_local_key();
/// The running goroutine's value for \p key -- the thread's outside
/// goroutines -- made by make(maker) on first use and destroyed by
/// destroy(value) when the goroutine (or thread) ends.
void *goroutine_local_get(std::size_t key, void *(*make)(const void *),
                          GOSTACK_NOESCAPE const void *maker,
                          void (*destroy)(void *));
} // namespace detail

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
/// gc() runs a full collection now (Go's runtime.GC); a goroutine lets
/// others run while another collection finishes.
GOSTACK_MAY_PARK void gc();
mem_stats read_mem_stats();
/// The number of live goroutines.
std::size_t num_goroutine();
/// Whether p points into the running goroutine's stack.
bool on_current_stack(GOSTACK_NOESCAPE const void *p);
/// Whether p points into the GC heap.
bool in_gc_heap(GOSTACK_NOESCAPE const void *p);

} // namespace gostack

#endif // GOSTACK_GOSTACK_H
