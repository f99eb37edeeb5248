//===-- gostack/detail/rewrite.h - What rewritten code calls ----*- C++ -*-===//
//
/// \file
/// The runtime entry points that code rewritten by the gostack plugin calls:
/// the GC heap's allocation function, the unscanned operator new for
/// pointer-free allocator blocks, and the owner that gives an object whose
/// storage is not its scope (a go_new object placed in a frame slot, a
/// local moved to the GC heap) its C++ lifetime.
///
/// The plugin includes this header into every translation unit it rewrites
/// (when it is on the include path, as `-I PATH/runtime/include` puts it),
/// so a project needs no change to be built with `managed=all`. It is
/// therefore written in C++11 and includes nothing but <cstddef>, <cstdint>
/// and <new>: it must not change what a project's own code means.
/// <gostack/gostack.h> includes it too. Not meant to be used directly.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_DETAIL_REWRITE_H
#define GOSTACK_DETAIL_REWRITE_H

#include <cstddef>
#include <cstdint>
#include <new>

namespace gostack {
namespace detail {

/// Allocates \p size zeroed bytes aligned to \p align in the GC heap, for an
/// object laid out as \p map says (null: unknown, scan every word) that
/// \p destroy destroys when it is collected (null: nothing to run).
void *gc_alloc(std::size_t size, std::size_t align, const std::uint64_t *map,
               void (*destroy)(void *));

/// Allocates \p size zeroed bytes aligned to \p align in the GC heap for a
/// variable of the running frame that must live there (a local whose
/// address escapes): scanned word by word, and, when the goroutine's stack
/// moves, adjusted as the stack itself is, so that it may hold pointers
/// into the stack (an unmanaged caller's locals). No destructor: the
/// variable's scope runs it (lifetime_owner).
void *gc_alloc_frame(std::size_t size, std::size_t align);

/// ::operator new for a block that holds no pointer, which the collector
/// does not scan: std::allocator<T> calls it for pointer-free T in code the
/// plugin compiled. Freed by operator delete, as any block.
void *operator_new_pointer_free(std::size_t size);
#if __cpp_aligned_new
void *operator_new_pointer_free(std::size_t size, std::align_val_t align);
#endif

/// The stack of the goroutine this thread runs, [low, high); {0, 0} on a
/// thread that runs none. Set by the scheduler, read inline by
/// check_lent_address.
struct stack_bounds {
  std::uintptr_t low, high;
};
// Constant-initialised: read directly, without the TLS wrapper function of
// a variable that may need dynamic initialisation (any C++ version).
#if defined(__cpp_constinit)
#define GOSTACK_DETAIL_CONSTINIT constinit
#elif defined(__clang__)
#define GOSTACK_DETAIL_CONSTINIT                                               \
  __attribute__((require_constant_initialization))
#else
#define GOSTACK_DETAIL_CONSTINIT __constinit
#endif
extern GOSTACK_DETAIL_CONSTINIT thread_local stack_bounds running_stack
    __attribute__((tls_model("initial-exec")));

/// Records that \p address, in the running goroutine's stack, was passed to
/// a managed function that keeps it (\p parameter names both): until the
/// frame holding it returns, a stack move also adjusts the copies kept
/// outside the stack (docs/ANALYZER.md, "The run-time half").
void note_lent_address(const void *address, const char *parameter);

/// What the plugin calls on entry of a managed function for each parameter
/// the analysis lets leak -- to the heap (\p holder null) or into the object
/// \p holder points to. Its managed callers never pass an address in their
/// stack there (they moved the variable); an unmanaged caller may:
///
///   check_lent_address(p, nullptr, "Cache::insert: parameter p");
[[gnu::always_inline]] inline bool in_running_stack(const void *pointer) {
  return reinterpret_cast<std::uintptr_t>(pointer) - running_stack.low <
         running_stack.high - running_stack.low;
}
[[gnu::always_inline]] inline void check_lent_address(const void *address,
                                                      const void *holder,
                                                      const char *parameter) {
  if (in_running_stack(address) && !(holder && in_running_stack(holder)))
      [[unlikely]]
    note_lent_address(address, parameter);
}

/// Destroys \p object, elements of an array last to first, as a scope does.
template <class T> struct destroyer {
  static void destroy(T &object) { object.~T(); }
};
template <class T, std::size_t N> struct destroyer<T[N]> {
  static void destroy(T (&array)[N]) {
    for (std::size_t i = N; i-- > 0;)
      destroyer<T>::destroy(array[i]);
  }
};

/// Destroys the T (or array of T) at \p object: what the collector runs for
/// a go_new object it frees, and what a lifetime_owner runs at the end of
/// its scope.
template <class T> void destroy_object(void *object) {
  destroyer<T>::destroy(*static_cast<T *>(object));
}

/// Gives an object whose storage outlives its scope the C++ lifetime of that
/// scope: adopt() records it once constructed, and the owner destroys it when
/// the owner itself goes -- at the end of the scope, also when an exception
/// leaves it -- or, for a reused frame slot, when release() is called before
/// the slot is built again. The storage stays: the GC heap frees it once
/// nothing points to it, so a pointer kept past the scope reads a destroyed
/// object, never reused memory.
///
///   T &n = *static_cast<T *>(owner.adopt(::new (gc_alloc(...)) T(init),
///                                        &destroy_object<T>));
///
/// The plugin declares one per frame slot of a go_new with a destructor and
/// one (a lifetime-extended temporary) per moved local with a destructor.
class lifetime_owner {
public:
  lifetime_owner() noexcept : destroy_(nullptr), object_(nullptr) {}
  lifetime_owner(const lifetime_owner &) = delete;
  lifetime_owner &operator=(const lifetime_owner &) = delete;
  // A destructor may throw, as it may for a variable in its scope.
  ~lifetime_owner() noexcept(false) { release(); }

  /// Destroys the object owned, if any.
  void release() {
    if (void (*destroy)(void *) = destroy_) {
      destroy_ = nullptr;
      destroy(object_);
    }
  }
  /// Owns \p object, which \p destroy destroys; returns \p object.
  void *adopt(void *object, void (*destroy)(void *)) noexcept {
    object_ = object;
    destroy_ = destroy;
    return object;
  }

private:
  void (*destroy_)(void *);
  void *object_;
};

} // namespace detail
} // namespace gostack

#endif // GOSTACK_DETAIL_REWRITE_H
