//===-- sched/stack_walk.cpp - Managed frames by their stack maps ---------===//

#include "sched/stack_walk.h"

#include "core/options.h"
#include "core/sanitizers.h"

namespace gostack::sched {
namespace {

std::uintptr_t wordAt(std::uintptr_t address) {
  return *reinterpret_cast<const std::uintptr_t *>(address);
}

/// Follows the chain from the return address slot \p slot: true if it
/// reaches the return into gostack_run_goroutine_fn below \p top, with
/// that slot in \p end; false with \p end at the slot where it broke.
bool chainReachesEntry(std::uintptr_t slot, std::uintptr_t top,
                       std::uintptr_t &end) {
  const auto entryReturn =
      reinterpret_cast<std::uintptr_t>(gostack_goroutine_fn_return);
  SiteLookup lookup;
  while (slot < top) {
    end = slot;
    std::uintptr_t returnAddress = wordAt(slot);
    if (returnAddress == entryReturn)
      return true;
    const StackMapSite *site = lookup(returnAddress);
    if (!site || site->Kind != detail::SiteKind::Precise)
      return false;
    slot += 8 + site->FrameSize;
  }
  end = top;
  return false;
}

} // namespace

bool stackMapsEnabled() {
#ifdef GOSTACK_ASAN
  return false;
#else
  static const bool enabled = !options::debugEnabled("stackmapsoff");
  return enabled;
#endif
}

bool findManagedFrames(std::uintptr_t from, std::uintptr_t top,
                       ManagedFrames &frames) {
  if (!stackMapsEnabled())
    return false;
  // The innermost return address with a precise site whose chain holds.
  // A chain that breaks at some slot breaks there for every start on it:
  // the search goes on above that slot (linear, however deep the stack).
  const ReturnAddressRange sites = siteRange();
  for (std::uintptr_t slot = (from + 7) & ~std::uintptr_t{7}; slot < top;
       slot += 8) {
    if (!sites.contains(wordAt(slot)))
      continue;
    const StackMapSite *site = siteAt(wordAt(slot));
    if (!site || site->Kind != detail::SiteKind::Precise)
      continue;
    std::uintptr_t end;
    if (chainReachesEntry(slot, top, end)) {
      frames = {slot, end};
      return true;
    }
    slot = end > slot ? end : slot;
  }
  return false;
}

} // namespace gostack::sched
