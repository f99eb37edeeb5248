//===-- heap/write_watch.h - Which pages the program wrote ------*- C++ -*-===//
//
// Mostly-concurrent marking (Boehm, Demers and Shenker, PLDI 1991) needs to
// know which pages the program wrote while the collector was marking: C++
// cannot have a write barrier (native code and libraries are not compiled
// by us), so the kernel records the writes instead. Linux (6.7 and later)
// does it with userfaultfd's asynchronous write-protection and the
// PAGEMAP_SCAN ioctl: the collector write-protects its heaps in one call,
// the kernel resolves the first write to each page itself -- from user code
// or from a system call writing into a buffer -- and marks the page
// written; PAGEMAP_SCAN lists the written pages and write-protects them
// again in one pass (Windows' GetWriteWatch).
//
// Not used: soft-dirty bits (/proc/self/clear_refs; absent from kernels
// built without CONFIG_MEM_SOFT_DIRTY, as this project's CI machines are),
// and mprotect with a SIGSEGV handler, which Boehm's incremental mode uses:
// a system call writing into a protected page (read(2) into a malloc'd
// buffer) fails with EFAULT instead of faulting, so a valid program would
// change its meaning.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_WRITE_WATCH_H
#define GOSTACK_RUNTIME_HEAP_WRITE_WATCH_H

#include <cstdint>

namespace gostack::heap::write_watch {

/// Starts watching [begin, end), memory the runtime reserved (anonymous,
/// private, never unmapped): false if the kernel cannot (too old, or
/// userfaultfd refused by a seccomp filter). Safe to call again for the
/// same range.
bool watch(std::uintptr_t begin, std::uintptr_t end);

/// Forgets the writes so far to [begin, end), part of a watched range: from
/// now on a page there is reported once it is written. Only for memory in
/// use -- it costs page tables for the whole range.
void protect(std::uintptr_t begin, std::uintptr_t end);

/// Stops recording writes to [begin, end): the program writes there
/// without a fault per page until the next protect().
void unprotect(std::uintptr_t begin, std::uintptr_t end);

/// Whether a collection is watching writes: memory committed meanwhile must
/// be protected before it is used (page_heap.cpp).
bool protecting();
void setProtecting(bool on);

/// A range of written pages.
using VisitWritten = void (*)(void *context, std::uintptr_t begin,
                              std::uintptr_t end);
/// Calls \p visit for every range of pages in [begin, end) written since
/// they were last protected, and protects them again. No allocation: safe
/// while the world is stopped; several threads may take disjoint ranges at
/// once.
void takeWritten(std::uintptr_t begin, std::uintptr_t end, VisitWritten visit,
                 void *context);

} // namespace gostack::heap::write_watch

#endif // GOSTACK_RUNTIME_HEAP_WRITE_WATCH_H
