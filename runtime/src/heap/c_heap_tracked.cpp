//===-- heap/c_heap_tracked.cpp - malloc's blocks under a sanitizer -------===//
//
// Sanitizer builds keep the sanitizer's own malloc (it must see every block
// to find errors in them), so the runtime cannot replace it
// (c_heap_functions.cpp is not built). Instead every block is recorded
// through the sanitizers' allocation hooks, in an open-addressing table in
// the heap's metadata memory, and the collector scans the recorded blocks as
// it scans the C heap's. Blocks allocated before the runtime's constructor
// ran (the C++ library's own start-up) are not recorded.
//
//===----------------------------------------------------------------------===//

#include "core/sanitizers.h"
#include "heap/c_heap.h"

#include "heap/metadata.h"
#include "heap/world.h"
#include <gostack/detail/rewrite.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <pthread.h>
#include <sanitizer/allocator_interface.h>

extern "C" const char gostack_c_heap_linked = 1;

namespace gostack::heap::cheap {
namespace {

struct Entry {
  std::uintptr_t block; ///< 0: empty; Deleted: a tombstone
  std::size_t size;
};
constexpr std::uintptr_t Deleted = 1;

class Table {
public:
  std::mutex &mutex() { return mutex_; }
  void insert(std::uintptr_t block, std::size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    if ((used_ + 1) * 2 > capacity_)
      grow();
    place(block, size);
  }
  void erase(std::uintptr_t block) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!capacity_)
      return;
    for (std::size_t slot = hash(block);; slot = (slot + 1) & (capacity_ - 1)) {
      if (entries_[slot].block == block) {
        entries_[slot].block = Deleted;
        --live_;
        return;
      }
      if (!entries_[slot].block)
        return;
    }
  }
  /// With the world stopped: no thread is inside insert or erase. (The
  /// stop orders the threads' writes before these reads, through a signal
  /// and a futex ThreadSanitizer does not follow: not checked by it.)
  GOSTACK_SCANS_FOREIGN_MEMORY void forEach(VisitBlock visit,
                                            void *context) const {
    for (std::size_t slot = 0; slot < capacity_; ++slot)
      if (entries_[slot].block > Deleted)
        visit(context, entries_[slot].block,
              entries_[slot].block + entries_[slot].size);
  }

private:
  std::size_t hash(std::uintptr_t block) const {
    return ((block >> 4) * 0x9E3779B97F4A7C15ull) & (capacity_ - 1);
  }
  void place(std::uintptr_t block, std::size_t size) {
    for (std::size_t slot = hash(block);; slot = (slot + 1) & (capacity_ - 1))
      if (entries_[slot].block <= Deleted) {
        used_ += entries_[slot].block == 0;
        entries_[slot] = {block, size};
        ++live_;
        return;
      }
  }
  void grow() {
    Entry *old = entries_;
    std::size_t oldCapacity = capacity_;
    // Twice the live entries, at least 4096: tombstones are dropped.
    capacity_ = 4096;
    while (capacity_ < live_ * 4)
      capacity_ *= 2;
    entries_ =
        static_cast<Entry *>(metadataAllocate(capacity_ * sizeof(Entry)));
    std::memset(entries_, 0, capacity_ * sizeof(Entry));
    used_ = live_ = 0;
    for (std::size_t slot = 0; slot < oldCapacity; ++slot)
      if (old[slot].block > Deleted)
        place(old[slot].block, old[slot].size);
    if (old)
      metadataFree(old, oldCapacity * sizeof(Entry));
  }

  std::mutex mutex_;
  Entry *entries_ = nullptr;
  std::size_t capacity_ = 0, used_ = 0, live_ = 0;
};

Table &table() {
  static Table *instance = newMetadata<Table>();
  return *instance;
}

void onMalloc(const volatile void *block, std::size_t size) {
  world::NoStopScope scope;
  table().insert(reinterpret_cast<std::uintptr_t>(block), size);
}

void onFree(const volatile void *block) {
  world::NoStopScope scope;
  table().erase(reinterpret_cast<std::uintptr_t>(block));
}

// As the C heap's (c_heap.cpp): a child of fork must not inherit the
// table's lock held by a thread that was not copied.
void lockForFork() {
  table().mutex().lock();
  metadataLockForFork();
}
void unlockAfterFork() {
  metadataUnlockAfterFork();
  table().mutex().unlock();
}

[[gnu::constructor]] void installHooks() {
  __sanitizer_install_malloc_and_free_hooks(onMalloc, onFree);
  pthread_atfork(lockForFork, unlockAfterFork, unlockAfterFork);
}

} // namespace

void forEachBlock(VisitBlock visit, void *context) {
  table().forEach(visit, context);
}

void forEachBlockIn(std::uintptr_t begin, std::uintptr_t end, VisitBlock visit,
                    void *context) {
  struct Clipped {
    std::uintptr_t begin, end;
    VisitBlock visit;
    void *context;
  } clipped{begin, end, visit, context};
  table().forEach(
      [](void *data, std::uintptr_t blockBegin, std::uintptr_t blockEnd) {
        auto &range = *static_cast<Clipped *>(data);
        blockBegin = std::max(blockBegin, range.begin);
        blockEnd = std::min(blockEnd, range.end);
        if (blockBegin < blockEnd)
          range.visit(range.context, blockBegin, blockEnd);
      },
      &clipped);
}

roots::Range reservedRange() { return {0, 0}; }
roots::Range committedRange() { return {0, 0}; }

void scavenge(std::uint64_t) {}

// The sanitizer's hooks see every block, whoever's malloc it is.
bool servesProcess() { return true; }

} // namespace gostack::heap::cheap

// A pointer-free block (rewrite/PointerFreeAllocations.h): the sanitizer's,
// left out of the table, so not scanned.
void *gostack::detail::operator_new_pointer_free(std::size_t size) {
  void *block = ::operator new(size);
  gostack::heap::cheap::onFree(block);
  return block;
}
void *gostack::detail::operator_new_pointer_free(std::size_t size,
                                                 std::align_val_t align) {
  void *block = ::operator new(size, align);
  gostack::heap::cheap::onFree(block);
  return block;
}
