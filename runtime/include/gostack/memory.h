//===-- gostack/memory.h - The GC heap --------------------------*- C++ -*-===//
//
/// \file
/// go_new<T> -- an object the collector owns -- and the collector itself:
/// gc(), read_mem_stats(), in_gc_heap().
///
///   Node *n = gostack::go_new<Node>(42); // freed once unreachable
///   gostack::gc();                       // a full collection now
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_MEMORY_H
#define GOSTACK_MEMORY_H

#include "gostack/attributes.h"
#include "gostack/detail/rewrite.h"

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

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
  /// The world stopped in each recent collection (the sum of its pauses),
  /// as Go's PauseNs: collection N (counting from 1) at pause_ns[(N - 1) %
  /// 256], so the last at pause_ns[(num_gc + 255) % 256].
  std::uint64_t pause_ns[256] = {};
  /// The longest pause_ns, all collections.
  std::uint64_t max_pause_ns = 0;
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

/// gc() runs a full collection now (Go's runtime.GC); a goroutine lets
/// others run while another collection finishes.
GOSTACK_MAY_PARK void gc();
mem_stats read_mem_stats();
/// Whether p points into the GC heap.
bool in_gc_heap(GOSTACK_NOESCAPE const void *p);

} // namespace gostack

#endif // GOSTACK_MEMORY_H
