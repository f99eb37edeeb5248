//===-- heap/span.cpp - A run of pages and the objects in it --------------===//

#include "heap/span.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace gostack::heap {

std::size_t Bitmap::count() const {
  std::size_t bits = 0;
  for (std::uint64_t word : words_)
    bits += static_cast<std::size_t>(__builtin_popcountll(word));
  return bits;
}

void Span::initialise(std::uintptr_t spanStart, std::size_t spanPages,
                      unsigned spanClass) {
  start = spanStart;
  pages = spanPages;
  sizeClass = spanClass;
  std::size_t bytes = pages * PageSize;
  objectSize = sizeClass ? heap::sizeClass(sizeClass).objectSize : bytes;
  capacity = static_cast<std::uint32_t>(bytes / objectSize);
  divMagic = sizeClass ? 0xFFFFFFFFu / objectSize + 1 : 0;
  freeIndex = 0;
  allocCache = 0;
  liveObjects = 0;
  hasDestroyers = false;
  listedWithDestroyers = false;
  next = prev = nullptr;
  allocBits.reset(capacity);
  markBits.reset(capacity);
  preciseObjects.reset(capacity);
  pointerWords.reset(0); // sized by the first precise object
  frameObjects.reset(capacity);
  hasFrameObjects = false;
  localFree = nullptr;
  remoteFree.store(nullptr, std::memory_order_relaxed);
  owner.store(nullptr, std::memory_order_relaxed);
  used = 0;
  destroyers.clear();
}

const std::uint64_t FrameStorageMap[1] = {2};

void Span::recordLayout(std::uint32_t index, std::size_t size,
                        const std::uint64_t *map, Destroyer destroy) {
  if (destroy || !destroyers.empty()) {
    if (destroyers.empty())
      destroyers.assign(capacity, nullptr);
    destroyers[index] = destroy;
    hasDestroyers |= destroy != nullptr;
  }
  bool frame = map == FrameStorageMap;
  hasFrameObjects |= frame;
  if (hasFrameObjects)
    frameObjects.atomicSet(index, frame);
  if (!map || map[0] != 1) {
    preciseObjects.clear(index);
    return;
  }
  preciseObjects.set(index);
  if (pointerWords.empty())
    pointerWords.reset(pages * PageSize / 8);
  // The whole slot is rewritten: it may have held a different object.
  std::size_t objectWords = objectSize / 8, typeWords = size / 8;
  std::size_t firstWord = std::size_t(index) * objectWords;
  for (std::size_t word = 0; word < objectWords; ++word) {
    bool pointer = word < typeWords && (map[1 + word / 64] >> (word % 64) & 1);
    if (pointer)
      pointerWords.set(firstWord + word);
    else
      pointerWords.clear(firstWord + word);
  }
}

namespace {

/// Zeroes \p size bytes at \p object when size is (Words + 1) * 8 for one
/// of \p Words, inline (no call to memset); returns whether it did.
template <std::size_t... Words>
bool zeroSmall(void *object, std::size_t size, std::index_sequence<Words...>) {
  return ((size == (Words + 1) * 8 &&
           (__builtin_memset_inline(object, 0, (Words + 1) * 8), true)) ||
          ...);
}

} // namespace

void Span::zeroObject(std::uint32_t index) const {
  void *object = reinterpret_cast<void *>(objectAddress(index));
  // Small objects, the most frequent, up to 64 bytes.
  if (!zeroSmall(object, objectSize, std::make_index_sequence<8>()))
    std::memset(object, 0, objectSize);
}

std::uint32_t Span::allocatedObjects() const {
  std::uint32_t allocated = 0;
  for (std::uint32_t index = 0; index < capacity; index += 64) {
    std::uint64_t word = allocBits.word(index / 64);
    // Every object below freeIndex is allocated.
    if (freeIndex > index)
      word |= freeIndex - index >= 64
                  ? ~std::uint64_t(0)
                  : (std::uint64_t(1) << (freeIndex - index)) - 1;
    if (capacity - index < 64)
      word &= (std::uint64_t(1) << (capacity - index)) - 1;
    allocated += static_cast<std::uint32_t>(__builtin_popcountll(word));
  }
  return allocated;
}

std::uint32_t Span::sweep() {
  std::uint32_t allocated = allocatedObjects();
  liveObjects = static_cast<std::uint32_t>(markBits.count());
  allocBits.swap(markBits);
  markBits.zero();
  freeIndex = 0;
  allocCache = 0;
  std::uint32_t freed = allocated - liveObjects;
  needsZero |= freed != 0;
  return freed;
}

} // namespace gostack::heap
