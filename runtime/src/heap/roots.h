//===-- heap/roots.h - Where the collector starts ---------------*- C++ -*-===//
//
// The roots of a collection, scanned conservatively (every aligned word may
// be a pointer), but for the managed frames of goroutine stacks, which are
// scanned by their stack maps (docs/STACKS.md):
//  - the writable segments of the executable and of every loaded library
//    (globals and static members), found with dl_iterate_phdr;
//  - every thread's stack from its stack pointer at the stop (its saved
//    registers lie just below, in the signal frame or the parking frame) to
//    its top (noted at its first allocation, else the end of its mapping in
//    /proc/self/maps);
//  - every thread's static thread-local storage and thread control block
//    (pthread_setspecific's values), the main thread's included: glibc
//    keeps both in one block at the thread pointer (%fs). Dynamic TLS (of
//    libraries loaded later) is malloc'd, and so scanned as the C heap is;
//  - goroutine stacks (registered by sched/);
//  - every block of memory from malloc and new (c_heap.h).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_ROOTS_H
#define GOSTACK_RUNTIME_HEAP_ROOTS_H

#include "heap/mmap_vector.h"

#include <cstdint>

namespace gostack::heap::roots {

struct Range {
  std::uintptr_t begin, end;
};

/// Appends the writable segments of every loaded object. Call it before the
/// world stops: it takes the dynamic loader's lock.
void addGlobals(MmapVector<Range> &ranges);

/// The static TLS and control block of the thread whose thread pointer is
/// \p threadPointer. Call once before the world stops first (it asks the
/// dynamic loader for the sizes).
Range threadStorage(std::uintptr_t threadPointer);

/// Goroutine stacks, roots besides the threads' own stacks (sched/
/// registers them; a goroutine's function object is on its stack).
struct GoroutineStacks {
  /// The top of the goroutine stack holding \p stackPointer, a stopped
  /// thread's, if one does (the goroutine running there may be asked to
  /// shrink its stack).
  bool (*stackTop)(std::uintptr_t stackPointer, std::uintptr_t &top);
  /// Calls visit(context, stackPointer, top) for the used part of every
  /// suspended goroutine's stack (while the world is stopped); its roots
  /// are what forEachRangeOfStack finds there.
  void (*forEachStack)(void (*visit)(void *, std::uintptr_t, std::uintptr_t),
                       void *context);
  /// Calls scan(context, begin, end) for the ranges of [stackPointer, top)
  /// of a goroutine stack that may hold pointers: all of it, or less where
  /// the stack maps say so.
  void (*forEachRangeOfStack)(std::uintptr_t stackPointer, std::uintptr_t top,
                              void (*scan)(void *, std::uintptr_t,
                                           std::uintptr_t),
                              void *context);
};
void setGoroutineStacks(const GoroutineStacks &stacks);
const GoroutineStacks *goroutineStacks();

/// The mappings of the process, read while the world is stopped.
class MemoryMap {
public:
  void read();
  /// The end of the mapping holding \p address, or \p address itself when
  /// none does.
  std::uintptr_t endOfMapping(std::uintptr_t address) const;

private:
  MmapVector<Range> mappings_;
};

} // namespace gostack::heap::roots

#endif // GOSTACK_RUNTIME_HEAP_ROOTS_H
