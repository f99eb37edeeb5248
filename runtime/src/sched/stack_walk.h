//===-- sched/stack_walk.h - Managed frames by their stack maps -*- C++ -*-===//
//
// A goroutine stack, seen from its stack pointer up, is
//
//   [native frames: the runtime's, the collector's stop, a signal frame,
//    or __morestack's save area]          word by word
//   [managed frames, one call each]       by their stack maps
//   [gostack_run_goroutine_fn, goroutineMain, the function object]
//                                          word by word
//
// The middle part is found by the walk below: a return address with a
// precise site, from which each frame's size leads to the next return
// address, and so on up to the return into gostack_run_goroutine_fn. Only
// a chain that arrives there exactly counts; any frame without a precise
// site on the way (native code between managed frames, a conservative
// site) makes the walk start higher, or fail: then the whole stack is
// treated word by word, as before stack maps.
//
// Registers. A managed frame may keep a pointer in a callee-saved register
// across a call (its site's PointerRegisters); the value is then in the
// saved-register words of the nearest frame below that saved the register
// (each site says which register each of its words holds), or, if none
// did, below the chain, in native frames or __morestack's save area, which
// are treated word by word. RegisterSlots follows this up the chain.
//
// Why the chain must reach the goroutine's entry: the saved-register words
// of the outermost managed frame hold its caller's registers, which no map
// describes. gostack_run_goroutine_fn clears them before the body, so above
// a complete chain there is no caller whose registers matter.
//
// Usage:
//   ManagedFrames frames;
//   if (findManagedFrames(sp, top, frames))
//     forEachManagedFrame(frames, [](const ManagedFrame &f) { ... });
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_STACK_WALK_H
#define GOSTACK_RUNTIME_SCHED_STACK_WALK_H

#include "sched/stack_maps.h"

#include <gostack/goroutines.h>

#include <cstdint>

extern "C" {
/// Runs fn->run() with the callee-saved registers cleared
/// (context_x86_64.S); the return address of that call ends every walk.
void gostack_run_goroutine_fn(gostack::detail::goroutine_fn *fn);
extern const char gostack_goroutine_fn_return[];
}

namespace gostack::sched {

/// The described middle part of one goroutine stack, as return address
/// slots: the innermost managed frame's and the one into
/// gostack_run_goroutine_fn.
struct ManagedFrames {
  std::uintptr_t inner;
  std::uintptr_t outer;
};

/// One managed frame at its call.
struct ManagedFrame {
  /// The stack pointer at the call: offsets in the site are from here.
  std::uintptr_t sp;
  const StackMapSite *site;
  /// The slot of the frame's own return address (into its caller).
  std::uintptr_t returnSlot() const { return sp + site->FrameSize; }
  /// Where the prologue pushed callee-saved registers: their callers'
  /// values, which may be stack addresses the code generator kept there
  /// (an alloca's address, cheaper to keep than to recompute), so the
  /// copier treats them word by word.
  std::uintptr_t calleeSavedBegin() const {
    return returnSlot() - site->SavedWords * 8;
  }
};

/// Where each callee-saved register's value of the current frame is, as
/// forEachManagedFrame goes up: fed each frame after its registers are
/// read, since a frame's saved words hold its caller's values.
class RegisterSlots {
public:
  /// The slot holding \p frame's register \p dwarfReg at its call, or 0
  /// when no managed frame below saved it (it is below the chain).
  std::uintptr_t slotOf(unsigned dwarfReg) const { return slots_[dwarfReg]; }
  /// Notes the registers \p frame saved.
  void passFrame(const ManagedFrame &frame) {
    for (unsigned i = 0; i < frame.site->SavedWords; ++i)
      slots_[detail::savedRegister(*frame.site, i)] =
          frame.returnSlot() - 8 * (i + 1);
  }

private:
  std::uintptr_t slots_[16] = {};
};

/// Whether scans and moves use the maps: not under AddressSanitizer (its
/// fake stacks hold the frame objects) nor with GOSTACK_DEBUG=stackmapsoff=1.
bool stackMapsEnabled();

/// Finds the described chain between \p from (a stack pointer) and \p top;
/// false when there is none.
bool findManagedFrames(std::uintptr_t from, std::uintptr_t top,
                       ManagedFrames &frames);

/// Calls visit(ManagedFrame) for each frame of \p frames, innermost first.
template <class Visit>
void forEachManagedFrame(const ManagedFrames &frames, Visit &&visit) {
  SiteLookup lookup;
  for (std::uintptr_t slot = frames.inner; slot != frames.outer;) {
    ManagedFrame frame{slot + 8,
                       lookup(*reinterpret_cast<const std::uintptr_t *>(slot))};
    visit(frame);
    slot = frame.returnSlot();
  }
}

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_STACK_WALK_H
