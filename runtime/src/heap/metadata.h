//===-- heap/metadata.h - The heap's bookkeeping memory ---------*- C++ -*-===//
//
// Span structs, their bitmaps and the allocator's lists are allocated inside
// NoStopScopes, where the collector waits for the thread to finish: if that
// thread called malloc and blocked on a lock that a stopped thread holds,
// the collection would never start. So the heap's metadata comes from here:
// straight from mmap, kept in free lists by power-of-two size, under a lock
// taken only inside NoStopScopes (never held by a stopped thread).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_METADATA_H
#define GOSTACK_RUNTIME_HEAP_METADATA_H

#include <cstddef>
#include <new>

namespace gostack::heap {

void *metadataAllocate(std::size_t bytes);
void metadataFree(void *memory, std::size_t bytes);
/// Around fork(): held from before it until after it in both processes, so
/// that the child does not start with a lock a vanished thread held.
void metadataLockForFork();
void metadataUnlockAfterFork();

/// A std::allocator over metadataAllocate, for the heap's vectors.
template <class T> struct MetadataAllocator {
  using value_type = T;
  MetadataAllocator() = default;
  template <class U> MetadataAllocator(const MetadataAllocator<U> &) {}
  T *allocate(std::size_t count) {
    return static_cast<T *>(metadataAllocate(count * sizeof(T)));
  }
  void deallocate(T *memory, std::size_t count) {
    metadataFree(memory, count * sizeof(T));
  }
  template <class U> bool operator==(const MetadataAllocator<U> &) const {
    return true;
  }
};

/// A new T in metadata memory (never freed: span structs are reused).
template <class T> T *newMetadata() {
  return ::new (metadataAllocate(sizeof(T))) T();
}

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_METADATA_H
