//===-- heap/mmap_vector.h - Arrays for a stopped world ---------*- C++ -*-===//
//
// While the world is stopped the collector must not call malloc: a stopped
// thread may hold one of its locks. Its work lists live in memory straight
// from the kernel instead, grown with mremap (but under ThreadSanitizer).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_MMAP_VECTOR_H
#define GOSTACK_RUNTIME_HEAP_MMAP_VECTOR_H

#include "core/sanitizers.h"

#include <gostack/gostack.h>

#include <cstddef>
#include <cstring>
#include <sys/mman.h>
#include <type_traits>
#include <utility>

namespace gostack::heap {

template <class T> class MmapVector {
  static_assert(std::is_trivially_copyable_v<T>);

public:
  MmapVector() = default;
  MmapVector(const MmapVector &) = delete;
  MmapVector &operator=(const MmapVector &) = delete;
  ~MmapVector() {
    if (data_)
      munmap(data_, capacity_ * sizeof(T));
  }

  void push_back(const T &value) {
    if (size_ == capacity_)
      grow();
    data_[size_++] = value;
  }
  T pop_back() { return data_[--size_]; }
  T &back() { return data_[size_ - 1]; }
  void swap(MmapVector &other) {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  T &operator[](std::size_t index) { return data_[index]; }
  const T &operator[](std::size_t index) const { return data_[index]; }
  T *begin() { return data_; }
  T *end() { return data_ + size_; }
  const T *begin() const { return data_; }
  const T *end() const { return data_ + size_; }

private:
  void grow() {
    std::size_t newCapacity = capacity_ ? capacity_ * 2 : 65536 / sizeof(T);
    void *memory =
        data_ ? moved(newCapacity)
              : mmap(nullptr, newCapacity * sizeof(T), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
      detail::fatal("out of memory: cannot grow the collector's work list");
    data_ = static_cast<T *>(memory);
    capacity_ = newCapacity;
  }

  /// The elements in a larger mapping: the same pages, moved (mremap).
  /// ThreadSanitizer does not see an mremap free the old range, and takes
  /// another thread's vector mapped there later for a race with this one:
  /// under it, a new mapping and a copy.
  void *moved(std::size_t newCapacity) {
#ifdef GOSTACK_TSAN
    void *memory =
        mmap(nullptr, newCapacity * sizeof(T), PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory != MAP_FAILED) {
      std::memcpy(memory, data_, size_ * sizeof(T));
      munmap(data_, capacity_ * sizeof(T));
    }
    return memory;
#else
    return mremap(data_, capacity_ * sizeof(T), newCapacity * sizeof(T),
                  MREMAP_MAYMOVE);
#endif
  }

  T *data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_MMAP_VECTOR_H
