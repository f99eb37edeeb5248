//===-- heap/size_classes.h - Small-object size classes ---------*- C++ -*-===//
//
// Go's size classes (runtime/sizeclasses.go): 67 classes from 8 bytes to
// 32 KiB, each with the number of 8 KiB pages its spans take, chosen so that
// no more than 1/8 of a span is lost to the tail. Class 0 means "large":
// such an object gets a span of its own.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_SIZE_CLASSES_H
#define GOSTACK_RUNTIME_HEAP_SIZE_CLASSES_H

#include <cstddef>
#include <cstdint>

namespace gostack::heap {

inline constexpr std::size_t PageSize = 8192;
inline constexpr std::size_t MaxSmallSize = 32768;
inline constexpr unsigned NumSizeClasses = 68; // class 0 included

struct SizeClass {
  std::uint32_t objectSize;
  std::uint32_t spanPages;
};

/// The class of an object of \p size bytes: the smallest that holds it, or 0
/// when size > MaxSmallSize.
unsigned sizeClassFor(std::size_t size);
const SizeClass &sizeClass(unsigned index);

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_SIZE_CLASSES_H
