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

#include <array>
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

namespace tables {

inline constexpr std::uint32_t ObjectSizes[NumSizeClasses] = {
    0,     8,     16,    24,    32,    48,    64,    80,    96,    112,
    128,   144,   160,   176,   192,   208,   224,   240,   256,   288,
    320,   352,   384,   416,   448,   480,   512,   576,   640,   704,
    768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304,
    2688,  3072,  3200,  3456,  4096,  4864,  5376,  6144,  6528,  6784,
    6912,  8192,  9472,  9728,  10240, 10880, 12288, 13568, 14336, 16384,
    18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};

/// The fewest pages whose tail waste is at most 1/8 of the span.
constexpr std::uint32_t pagesFor(std::uint32_t size) {
  for (std::uint32_t pages = 1;; ++pages) {
    std::size_t bytes = pages * PageSize;
    if (bytes >= size && bytes % size <= bytes / 8)
      return pages;
  }
}

constexpr std::array<SizeClass, NumSizeClasses> makeClasses() {
  std::array<SizeClass, NumSizeClasses> Classes{};
  for (unsigned I = 1; I < NumSizeClasses; ++I)
    Classes[I] = {ObjectSizes[I], pagesFor(ObjectSizes[I])};
  return Classes;
}

inline constexpr std::array<SizeClass, NumSizeClasses> Classes = makeClasses();

// Lookup tables as Go's: 8-byte steps up to 1024, 128-byte steps above.
inline constexpr std::size_t SmallStep = 8, SmallLimit = 1024, LargeStep = 128;

template <std::size_t N, std::size_t Step, std::size_t Base>
constexpr std::array<std::uint8_t, N> makeLookup() {
  std::array<std::uint8_t, N> Lookup{};
  unsigned Class = 1;
  for (std::size_t I = 0; I < N; ++I) {
    std::size_t Size = Base + I * Step;
    while (ObjectSizes[Class] < Size)
      ++Class;
    Lookup[I] = static_cast<std::uint8_t>(Class);
  }
  return Lookup;
}

inline constexpr auto SmallLookup =
    makeLookup<SmallLimit / SmallStep + 1, SmallStep, 0>();
inline constexpr auto LargeLookup =
    makeLookup<(MaxSmallSize - SmallLimit) / LargeStep + 1, LargeStep,
               SmallLimit>();

} // namespace tables

/// The class of an object of \p size bytes: the smallest that holds it, or 0
/// when size > MaxSmallSize. Inline: it is on the allocation fast path.
inline unsigned sizeClassFor(std::size_t size) {
  using namespace tables;
  if (size <= SmallLimit)
    return SmallLookup[(size + SmallStep - 1) / SmallStep];
  if (size <= MaxSmallSize)
    return LargeLookup[(size - SmallLimit + LargeStep - 1) / LargeStep];
  return 0;
}

inline const SizeClass &sizeClass(unsigned index) {
  return tables::Classes[index];
}

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_SIZE_CLASSES_H
