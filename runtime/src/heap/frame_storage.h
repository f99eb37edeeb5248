//===-- heap/frame_storage.h - Frames' variables on the heap ----*- C++ -*-===//
//
// A local whose address escapes lives in the GC heap (the plugin's rewrite,
// gc_alloc_frame), and so does a variable-length array that does not fit
// above the stack guard (__morestack_allocate_stack_space). Such an object is
// still a part of its frame: it is reached from the frame, lives as long as
// its scope, and may hold pointers into its goroutine's stack -- put there by
// code the analysis did not place, such as a C caller that passes its own
// local's address to a managed function that keeps it in a moved local
// (leveldb's C API does). Go's invariant "no pointer into a stack lives in
// the heap" does not hold for these objects, so a stack move treats them as
// it treats the stack: every word of a frame object reachable from the moved
// stack (directly, or through other frame objects) that points into the old
// stack is adjusted by the same rule.
//
// Invariants: a frame object is only ever adjusted by the goroutine whose
// stack moves (it is that goroutine's storage); a word is adjusted with a
// compare-and-swap, so a concurrent store by another thread is never lost;
// adjusting is idempotent (an adjusted word points into the new stack, not
// the old), so reaching an object twice is harmless.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_FRAME_STORAGE_H
#define GOSTACK_RUNTIME_HEAP_FRAME_STORAGE_H

#include <cstdint>

namespace gostack::heap {

/// How a word that may point into a moved stack is adjusted; returns the
/// word itself when it does not.
using AdjustWord = std::uintptr_t (*)(std::uintptr_t word, const void *move);

/// Applies \p adjust (with \p move) to every word of every frame object
/// reachable from the words in [\p begin, \p end) -- the moved stack --
/// through frame objects.
void adjustFrameStorage(const std::uintptr_t *begin, const std::uintptr_t *end,
                        AdjustWord adjust, const void *move);

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_FRAME_STORAGE_H
