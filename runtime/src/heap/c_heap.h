//===-- heap/c_heap.h - malloc's memory, scanned ----------------*- C++ -*-===//
//
// C++ keeps pointers in memory from malloc and new on every line: a
// std::vector's buffer, a std::map's nodes, what a std::function holds, a
// channel's buffer. The collector must see them all (CONTRACT section 7), so
// the runtime provides malloc, free, calloc, realloc, the aligned forms,
// malloc_usable_size and every replaceable operator new and delete
// (c_heap_functions.cpp), over this allocator: its blocks are uncollectable
// and scanned (Boehm's GC_MALLOC_UNCOLLECTABLE) -- freed only explicitly,
// and read word by word by every collection, as roots.
//
// The design is mimalloc's on Go's size classes (size_classes.h), in a page
// heap of its own (page_heap.h). A thread owns a span per size class and
// allocates from it without a lock or an atomic instruction: a block freed
// by the owner goes back on the span's local free list; one freed by
// another thread is pushed on the span's remote list (one compare-and-swap),
// which the owner takes in one exchange when its local list runs out. A
// span whose blocks are all free goes back to the page heap. A block over
// 32 KiB gets a span of its own. When a thread exits its spans are
// abandoned, and adopted by the next thread that needs one of their class.
//
// The collector, with the world stopped, knows every block in use: a span's
// blocks below its bump index, less those on its two free lists. Every
// operation here runs inside a world::NoStopScope, so no thread is ever
// stopped halfway through one, and no lock of the C heap is held while the
// world is stopped -- the collector itself may call malloc.
//
// Sanitizer builds keep their sanitizer's own allocator, which must see
// every block; there the blocks are recorded through the sanitizers'
// allocation hooks instead (c_heap_tracked.cpp), and scanned the same way.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_C_HEAP_H
#define GOSTACK_RUNTIME_HEAP_C_HEAP_H

#include "heap/roots.h"

#include <cstddef>
#include <cstdint>

namespace gostack::heap::cheap {

/// What a block may hold: a pointer-free one is never scanned (Go's noscan
/// spans). The plugin asks for those where the element type is known
/// (rewrite/PointerFreeAllocations.h); malloc and new give scanned ones.
enum class Contents { MayHoldPointers, PointerFree };

/// A block of at least \p size bytes aligned to \p align (a power of two;
/// at least 16, as malloc's), or null when memory is exhausted. Not zeroed.
void *allocate(std::size_t size, std::size_t align,
               Contents contents = Contents::MayHoldPointers);
/// Frees \p block, which allocate returned (null: nothing). A pointer the
/// C heap did not hand out is ignored.
void release(void *block);
/// The bytes usable at \p block (0 for a pointer the C heap did not hand
/// out).
std::size_t usableSize(const void *block);

/// A range of memory the collector scans.
using VisitBlock = void (*)(void *context, std::uintptr_t begin,
                            std::uintptr_t end);

/// Whether the process's malloc is this C heap's (or, under a sanitizer,
/// is tracked). Not when the runtime came in a library loaded with dlopen:
/// the process's malloc was chosen before it.
bool servesProcess();

/// While the world is stopped: calls \p visit for every block in use.
void forEachBlock(VisitBlock visit, void *context);
/// While the world is stopped: calls \p visit for the part in [begin, end)
/// of every block in use there.
void forEachBlockIn(std::uintptr_t begin, std::uintptr_t end, VisitBlock visit,
                    void *context);
/// The C heap's reserved address range, and the part of it committed so
/// far: where its blocks are, for the collector's write watch. Empty under
/// a sanitizer, whose allocator's memory is not the runtime's.
roots::Range reservedRange();
roots::Range committedRange();
/// While the world is stopped, after a collection: gives the kernel back
/// the memory of spans free since before \p cycle.
void scavenge(std::uint64_t cycle);

} // namespace gostack::heap::cheap

#endif // GOSTACK_RUNTIME_HEAP_C_HEAP_H
