//===-- heap/roots.h - Where the collector starts -----------------*- C++
//-*-===//
//
// The roots of a collection, all scanned conservatively (every aligned word
// may be a pointer):
//  - the writable segments of the executable and of every loaded library
//    (globals and static members), found with dl_iterate_phdr;
//  - every thread's stack from its stack pointer at the stop (its saved
//    registers lie just below, in the signal frame or the parking frame) to
//    the end of the mapping holding it, as /proc/self/maps says. For a
//    thread started by glibc that end includes its static thread-local
//    storage.
// Memory from malloc and new is not scanned: see docs/HEAP.md.
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

/// Goroutine stacks, roots besides the threads' own stacks (sched/
/// registers them; a goroutine's function object is on its stack).
struct GoroutineStacks {
  /// The top of the goroutine stack holding \p stackPointer, a stopped
  /// thread's, if one does (the goroutine running there may be asked to
  /// shrink its stack).
  bool (*stackTop)(std::uintptr_t stackPointer, std::uintptr_t &top);
  /// Calls scan(context, begin, end) for every range of roots of every
  /// goroutine (while the world is stopped).
  void (*forEachRange)(void (*scan)(void *, std::uintptr_t, std::uintptr_t),
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
