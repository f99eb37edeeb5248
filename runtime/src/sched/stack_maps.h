//===-- sched/stack_maps.h - The plugin's stack maps ------------*- C++ -*-===//
//
// The records the plugin writes to the section gostack_stackmaps (format in
// <gostack/detail/stack_maps.h>): for each return address in a managed
// function, the frame's size and which of its words may hold pointers.
// The runtime reads them lazily, on the first stack scan or move that asks,
// into one table sorted by return address; nothing is read at start-up.
//
// Usage:
//   if (const StackMapSite *site = siteAt(returnAddress))
//     for (const StackMapObject &object : objectsOf(*site)) ...
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_STACK_MAPS_H
#define GOSTACK_RUNTIME_SCHED_STACK_MAPS_H

#include <gostack/detail/stack_maps.h>

#include <cstdint>
#include <span>

namespace gostack::sched {

using detail::StackMapObject;
using detail::StackMapSite;

/// The site whose return address is \p returnAddress, or null: no record
/// (native code, or a call the plugin left out).
const StackMapSite *siteAt(std::uintptr_t returnAddress);

/// siteAt, remembering the last answer: the frames of a recursion repeat
/// one return address.
class SiteLookup {
public:
  const StackMapSite *operator()(std::uintptr_t returnAddress) {
    if (returnAddress != last_) {
      last_ = returnAddress;
      lastSite_ = siteAt(returnAddress);
    }
    return lastSite_;
  }

private:
  std::uintptr_t last_ = 0; // siteAt(0) is null
  const StackMapSite *lastSite_ = nullptr;
};

/// Bounds every site's return address lies within: a word outside them is
/// no site's, found without a lookup.
struct ReturnAddressRange {
  std::uintptr_t lowest, highest;
  bool contains(std::uintptr_t word) const {
    return word >= lowest && word <= highest;
  }
};
ReturnAddressRange siteRange();

/// A site's frame objects, scanned word by word. (Inline, as the three
/// below: the collector and the copier ask for every frame.)
inline std::span<const StackMapObject> objectsOf(const StackMapSite &site) {
  return {reinterpret_cast<const StackMapObject *>(&site + 1),
          site.ObjectCount};
}
/// A site's pointer slots: offsets from the stack pointer at the call.
inline std::span<const std::int32_t> pointersOf(const StackMapSite &site) {
  auto objects = objectsOf(site);
  return {
      reinterpret_cast<const std::int32_t *>(objects.data() + objects.size()),
      site.PointerCount};
}
/// Slots that hold pointers at other sites of the function, not here.
inline std::span<const std::int32_t> deadSlotsOf(const StackMapSite &site) {
  auto pointers = pointersOf(site);
  return {pointers.data() + pointers.size(), site.DeadSlotCount};
}
/// The return address a site describes.
inline std::uintptr_t returnAddressOf(const StackMapSite &site) {
  return reinterpret_cast<std::uintptr_t>(&site.ReturnAddress) +
         static_cast<std::intptr_t>(site.ReturnAddress);
}

/// How many sites the program has (reads the maps if not yet read).
std::size_t stackMapSiteCount();

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_STACK_MAPS_H
