//===-- heap/finalizers.h - Destructors of collected objects ----*- C++ -*-===//
//
// An object with a destructor that a collection finds unreachable is not
// freed in that collection: the collector queues it, and a thread of the
// runtime (the finalizer thread, as Go's) runs the destructors in the order
// queued, with the world running. Queued objects are roots until their
// destructor has run, so their memory and what they point to stay valid;
// the next collection that finds them unreachable frees them. A destructor
// may allocate, and may even store `this` somewhere reachable: the memory
// then simply stays, holding a destroyed object.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_FINALIZERS_H
#define GOSTACK_RUNTIME_HEAP_FINALIZERS_H

#include "heap/mark.h"

namespace gostack::heap::finalizers {

// While the world is stopped:
/// Marks the objects still waiting for their destructor.
void markQueued(Marker &marker);
/// Queues \p doomed for destruction.
void enqueue(MmapVector<Doomed> &doomed);

/// Once the world runs again: lets the finalizer thread work.
void wake();
/// The finalizer thread, once started: 1, else 0.
std::size_t threadCount();
/// Waits until every destructor queued so far has run (on the finalizer
/// thread itself, returns at once).
void awaitQueued();

} // namespace gostack::heap::finalizers

#endif // GOSTACK_RUNTIME_HEAP_FINALIZERS_H
