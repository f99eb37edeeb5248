//===-- core/sanitizers.h - Living with AddressSanitizer --------*- C++ -*-===//
//
// With detect_stack_use_after_return, AddressSanitizer moves a function's
// locals to a "fake stack" of its own, found only through pointers on the
// real stack. A conservative scan of the real stack must follow those
// pointers into the fake frames, or it misses the locals.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_CORE_SANITIZERS_H
#define GOSTACK_RUNTIME_CORE_SANITIZERS_H

#include <cstdint>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GOSTACK_ASAN 1
#endif
#endif
#if !defined(GOSTACK_ASAN) && defined(__SANITIZE_ADDRESS__)
#define GOSTACK_ASAN 1
#endif

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOSTACK_TSAN 1
#endif
#endif

#ifdef GOSTACK_ASAN
#include <sanitizer/asan_interface.h>
/// Whether instrumented functions put their locals on a fake stack.
extern "C" int __asan_option_detect_stack_use_after_return;
#endif

/// On a function that reads whole stacks, red zones and frames of other
/// threads included, on purpose (the collector, the stack copier).
#define GOSTACK_SCANS_FOREIGN_MEMORY                                           \
  __attribute__((no_sanitize("address", "thread")))

namespace gostack::sanitizers {

/// On a function whose locals hold addresses in the GC heap that must not
/// keep objects: they stay on the real stack -- below the collector's scan
/// once the function returns -- not in an AddressSanitizer fake frame,
/// which the collector may still reach and scan.
#define GOSTACK_NO_FAKE_FRAME __attribute__((no_sanitize("address")))

/// The stack pointer: the real stack, below the registers the caller saved
/// (the address of a local may be in a fake frame elsewhere).
inline std::uintptr_t realStackPointer() {
  std::uintptr_t stackPointer;
  asm volatile("mov %%rsp, %0" : "=r"(stackPointer));
  return stackPointer;
}

/// The calling thread's fake stack, or null. Safe in a signal handler.
inline void *currentFakeStack() {
#ifdef GOSTACK_ASAN
  return __asan_get_current_fake_stack();
#else
  return nullptr;
#endif
}

/// Whether \p address lies in a live frame of \p fakeStack; sets the frame's
/// bounds.
inline bool inFakeFrame(void *fakeStack, std::uintptr_t address,
                        std::uintptr_t &begin, std::uintptr_t &end) {
#ifdef GOSTACK_ASAN
  void *frameBegin = nullptr, *frameEnd = nullptr;
  if (!fakeStack ||
      !__asan_addr_is_in_fake_stack(
          fakeStack, reinterpret_cast<void *>(address), &frameBegin, &frameEnd))
    return false;
  begin = reinterpret_cast<std::uintptr_t>(frameBegin);
  end = reinterpret_cast<std::uintptr_t>(frameEnd);
  return true;
#else
  (void)fakeStack, (void)address, (void)begin, (void)end;
  return false;
#endif
}

} // namespace gostack::sanitizers

#endif // GOSTACK_RUNTIME_CORE_SANITIZERS_H
