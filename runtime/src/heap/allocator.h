//===-- heap/allocator.h - Allocator, for the collector ---------*- C++ -*-===//

#ifndef GOSTACK_RUNTIME_HEAP_ALLOCATOR_H
#define GOSTACK_RUNTIME_HEAP_ALLOCATOR_H

#include "heap/span.h"

#include <gostack/gostack.h>

namespace gostack::heap {

/// The heap's fields of mem_stats (allocations, the collector's figures);
/// the stack fields are the scheduler's (api/gostack_api.cpp).
mem_stats heapStats();

} // namespace gostack::heap

namespace gostack::heap::allocator {

// While the world is stopped:
/// Every thread cache gives its spans back (Go flushes its mcaches), so
/// that the sweep sees every span alike and each refill after it is counted
/// towards the next collection.
void releaseCachedSpans();
/// Empties the central lists of partly free spans, for the sweep to refill.
void resetCentralLists();
/// Offers \p span, which has free objects, to the threads' caches.
void addPartialSpan(Span *span);
/// While the world is stopped: whether objects allocated from now on are
/// marked at once (while a collection marks concurrently: Go's "allocate
/// black"; they live at least until the next collection).
void setAllocateBlack(bool on);
/// While the world is stopped: the bytes of every object allocated so far.
std::uint64_t bytesAllocated();

} // namespace gostack::heap::allocator

#endif // GOSTACK_RUNTIME_HEAP_ALLOCATOR_H
