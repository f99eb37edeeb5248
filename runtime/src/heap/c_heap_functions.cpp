//===-- heap/c_heap_functions.cpp - malloc, free and new, scanned ---------===//
//
// The C and C++ allocation functions a program links from libgostack
// instead of glibc's and libstdc++'s, over the C heap (c_heap.h), so that
// the collector scans every block they hand out. glibc documents replacing
// malloc this way ("Replacing malloc"): every libc function that allocates
// calls these. The executable exports them, so shared libraries call them
// too (libstdc++.so's own operator new calls malloc).
//
// Not built with sanitizers: those keep their own allocator, and the
// blocks are tracked by c_heap_tracked.cpp instead.
//
//===----------------------------------------------------------------------===//

#include "heap/c_heap.h"

#include <gostack/detail/rewrite.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <new>
#include <unistd.h>

using gostack::heap::cheap::allocate;
using gostack::heap::cheap::Contents;
using gostack::heap::cheap::release;
using gostack::heap::cheap::usableSize;

namespace {

constexpr std::size_t MallocAlignment = 16;

bool isPowerOfTwo(std::size_t n) { return n && !(n & (n - 1)); }

void *allocateOrErrno(std::size_t size, std::size_t align) {
  void *block = allocate(size, align);
  if (!block)
    errno = ENOMEM;
  return block;
}

/// operator new: asks the new-handler until memory comes, or throws.
void *allocateOrThrow(std::size_t size, std::size_t align,
                      Contents contents = Contents::MayHoldPointers) {
  for (;;) {
    if (void *block = allocate(size, align, contents))
      return block;
    std::new_handler handler = std::get_new_handler();
    if (!handler)
      throw std::bad_alloc();
    handler();
  }
}

void *allocateOrNull(std::size_t size, std::size_t align) noexcept {
  try {
    return allocateOrThrow(size, align);
  } catch (...) {
    return nullptr;
  }
}

} // namespace

/// Referenced by the GC heap's allocator, so that a program using the
/// collector always links these functions.
extern "C" const char gostack_c_heap_linked = 1;

bool gostack::heap::cheap::servesProcess() {
  // The malloc every module calls, against the module this one is in (a
  // static executable has no dynamic symbols to ask: it is this one).
  void *processMalloc = dlsym(RTLD_DEFAULT, "malloc");
  Dl_info found, runtime;
  return !processMalloc || (dladdr(processMalloc, &found) &&
                            dladdr(&gostack_c_heap_linked, &runtime) &&
                            found.dli_fbase == runtime.dli_fbase);
}

extern "C" {

void *malloc(std::size_t size) {
  return allocateOrErrno(size, MallocAlignment);
}

void free(void *block) { release(block); }

void *calloc(std::size_t count, std::size_t size) {
  std::size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  void *block = allocateOrErrno(bytes, MallocAlignment);
  if (block)
    std::memset(block, 0, bytes);
  return block;
}

void *realloc(void *block, std::size_t size) {
  if (!block)
    return malloc(size);
  if (!size) {
    free(block);
    return nullptr;
  }
  std::size_t usable = usableSize(block);
  // Shrinking within the block, by up to half, keeps it.
  if (size <= usable && size >= usable / 2)
    return block;
  void *moved = allocateOrErrno(size, MallocAlignment);
  if (!moved)
    return nullptr;
  std::memcpy(moved, block, size < usable ? size : usable);
  free(block);
  return moved;
}

void *reallocarray(void *block, std::size_t count, std::size_t size) {
  std::size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(block, bytes);
}

void *aligned_alloc(std::size_t align, std::size_t size) {
  if (!isPowerOfTwo(align)) {
    errno = EINVAL;
    return nullptr;
  }
  return allocateOrErrno(size, align);
}

void *memalign(std::size_t align, std::size_t size) {
  return aligned_alloc(align, size);
}

int posix_memalign(void **out, std::size_t align, std::size_t size) {
  if (!isPowerOfTwo(align) || align % sizeof(void *))
    return EINVAL;
  void *block = allocate(size, align);
  if (!block)
    return ENOMEM;
  *out = block;
  return 0;
}

void *valloc(std::size_t size) {
  return allocateOrErrno(size, static_cast<std::size_t>(getpagesize()));
}

void *pvalloc(std::size_t size) {
  std::size_t page = static_cast<std::size_t>(getpagesize());
  return allocateOrErrno((size + page - 1) & ~(page - 1), page);
}

std::size_t malloc_usable_size(void *block) { return usableSize(block); }

} // extern "C"

// Every replaceable global operator new and delete.
void *operator new(std::size_t size) {
  return allocateOrThrow(size, MallocAlignment);
}
void *operator new[](std::size_t size) {
  return allocateOrThrow(size, MallocAlignment);
}
void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
  return allocateOrNull(size, MallocAlignment);
}
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept {
  return allocateOrNull(size, MallocAlignment);
}
void *operator new(std::size_t size, std::align_val_t align) {
  return allocateOrThrow(size, static_cast<std::size_t>(align));
}
void *operator new[](std::size_t size, std::align_val_t align) {
  return allocateOrThrow(size, static_cast<std::size_t>(align));
}
void *operator new(std::size_t size, std::align_val_t align,
                   const std::nothrow_t &) noexcept {
  return allocateOrNull(size, static_cast<std::size_t>(align));
}
void *operator new[](std::size_t size, std::align_val_t align,
                     const std::nothrow_t &) noexcept {
  return allocateOrNull(size, static_cast<std::size_t>(align));
}

// What the plugin calls instead of operator new for pointer-free elements
// (rewrite/PointerFreeAllocations.h): blocks the collector does not scan.
void *gostack::detail::operator_new_pointer_free(std::size_t size) {
  return allocateOrThrow(size, MallocAlignment, Contents::PointerFree);
}
void *gostack::detail::operator_new_pointer_free(std::size_t size,
                                                 std::align_val_t align) {
  return allocateOrThrow(size, static_cast<std::size_t>(align),
                         Contents::PointerFree);
}

void operator delete(void *block) noexcept { release(block); }
void operator delete[](void *block) noexcept { release(block); }
void operator delete(void *block, std::size_t) noexcept { release(block); }
void operator delete[](void *block, std::size_t) noexcept { release(block); }
void operator delete(void *block, const std::nothrow_t &) noexcept {
  release(block);
}
void operator delete[](void *block, const std::nothrow_t &) noexcept {
  release(block);
}
void operator delete(void *block, std::align_val_t) noexcept { release(block); }
void operator delete[](void *block, std::align_val_t) noexcept {
  release(block);
}
void operator delete(void *block, std::size_t, std::align_val_t) noexcept {
  release(block);
}
void operator delete[](void *block, std::size_t, std::align_val_t) noexcept {
  release(block);
}
void operator delete(void *block, std::align_val_t,
                     const std::nothrow_t &) noexcept {
  release(block);
}
void operator delete[](void *block, std::align_val_t,
                       const std::nothrow_t &) noexcept {
  release(block);
}
