//===-- gostack/channels.h - Channels and select ----------------*- C++ -*-===//
//
/// \file
/// chan<T>, Go's channel, and select over its cases.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_CHANNELS_H
#define GOSTACK_CHANNELS_H

#include "gostack/attributes.h"

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace gostack {

namespace detail {

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

} // namespace detail

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

} // namespace gostack

#endif // GOSTACK_CHANNELS_H
