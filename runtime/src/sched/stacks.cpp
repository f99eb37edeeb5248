//===-- sched/stacks.cpp - Goroutine stacks -------------------------------===//

#include "sched/stacks.h"
#include "core/options.h"
#include "core/os.h"

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <deque>
#include <mutex>
#include <sys/mman.h>
#include <vector>

namespace gostack::sched {
namespace {

constexpr std::size_t ChunkSize = std::size_t(64) << 20;
constexpr std::size_t RangeSize = std::size_t(1) << 40; // 1 TiB of addresses
constexpr std::size_t Chunks = RangeSize / ChunkSize;
constexpr unsigned MinClassLog = 13, MaxClassLog = 30; // 8 KiB .. 1 GiB
constexpr unsigned Classes = MaxClassLog - MinClassLog + 1;
constexpr std::size_t ThreadCacheSize = 32;

// Not in bookworm's headers yet.
constexpr int GuardInstall = 102, GuardRemove = 103;

unsigned classOf(std::size_t size) {
  unsigned log = MinClassLog;
  while ((std::size_t(1) << log) < size)
    ++log;
  if (log > MaxClassLog)
    detail::fatal("goroutine stack larger than 1 GiB requested");
  return log - MinClassLog;
}

std::size_t slotSize(unsigned cls) {
  return (std::size_t(1) << (cls + MinClassLog)) + StackGuardSize;
}

/// Where slots of a chunk start and how large they are (a stack larger
/// than a chunk takes a run of chunks, all pointing at the run's start).
struct ChunkInfo {
  std::uintptr_t slotBase = 0;
  std::size_t slotSize = 0;
};

class Pool {
public:
  // stackcheck needs freed stacks to fault: that is how a word its maps
  // left unadjusted is caught being used.
  Pool()
      : faultOnFree_(options::debugEnabled("stackfaultonfree") ||
                     options::debugEnabled("stackcheck")) {
    void *base = os::reserveOrDie(
        RangeSize, "cannot reserve address space for goroutine stacks");
    base_ = reinterpret_cast<std::uintptr_t>(base);
    chunks_ = new ChunkInfo[Chunks];
  }

  /// A slot of class \p cls from the global pool or a fresh chunk.
  std::uintptr_t takeSlot(unsigned cls) {
    std::uintptr_t slot;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // The most recently freed first, its pages still resident and
      // perhaps cached; under stackfaultonfree the oldest, so that a stale
      // pointer into a freed stack faults for as long as possible.
      std::deque<std::uintptr_t> &free = free_[cls];
      if (!free.empty()) {
        slot = faultOnFree_ ? free.front() : free.back();
        faultOnFree_ ? free.pop_front() : free.pop_back();
        return slot;
      }
      if (carveNext_[cls] == carveEnd_[cls] && !newChunk(cls))
        detail::fatal("out of memory: cannot allocate a goroutine stack");
      slot = carveNext_[cls];
      carveNext_[cls] += slotSize(cls);
    }
    // A system call: not under the lock.
    installGuard(slot);
    return slot;
  }

  void putSlot(unsigned cls, std::uintptr_t slot) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_[cls].push_back(slot);
  }

  bool faultOnFree() const { return faultOnFree_; }

  bool lookup(std::uintptr_t address, Stack &stack, bool &inGuard) const {
    if (address - base_ >= RangeSize)
      return false;
    const ChunkInfo &chunk = chunks_[(address - base_) / ChunkSize];
    if (!chunk.slotSize)
      return false;
    std::uintptr_t slot = chunk.slotBase + (address - chunk.slotBase) /
                                               chunk.slotSize * chunk.slotSize;
    stack = {slot + StackGuardSize, slot + chunk.slotSize};
    inGuard = address < stack.low;
    return true;
  }

  std::atomic<std::size_t> bytesInUse{0};

private:
  bool newChunk(unsigned cls) {
    std::size_t size = slotSize(cls);
    std::size_t bytes = size > ChunkSize
                            ? (size + ChunkSize - 1) / ChunkSize * ChunkSize
                            : ChunkSize;
    if (top_ + bytes > RangeSize)
      return false;
    std::uintptr_t start = base_ + top_;
    if (mprotect(reinterpret_cast<void *>(start), bytes,
                 PROT_READ | PROT_WRITE) != 0)
      return false;
    for (std::size_t chunk = top_ / ChunkSize;
         chunk < (top_ + bytes) / ChunkSize; ++chunk)
      chunks_[chunk] = {start, size};
    top_ += bytes;
    carveNext_[cls] = start;
    carveEnd_[cls] = start + bytes / size * size;
    return true;
  }

  void installGuard(std::uintptr_t slot) {
    if (madvise(reinterpret_cast<void *>(slot), StackGuardSize, GuardInstall) ==
        0)
      return;
    // An older kernel: a mapping of its own, while the map-count limit
    // allows.
    if (mprotectedGuards_.fetch_add(1) < MaxMprotectedGuards)
      mprotect(reinterpret_cast<void *>(slot), StackGuardSize, PROT_NONE);
  }

  static constexpr std::size_t MaxMprotectedGuards = 16384;

  const bool faultOnFree_;
  std::mutex mutex_;
  std::uintptr_t base_ = 0;
  std::size_t top_ = 0;
  std::atomic<std::size_t> mprotectedGuards_{0};
  ChunkInfo *chunks_;
  std::uintptr_t carveNext_[Classes] = {}, carveEnd_[Classes] = {};
  std::deque<std::uintptr_t> free_[Classes];
};

Pool &pool() {
  static Pool *instance = new Pool; // lives as long as the process
  return *instance;
}

/// Recently freed stacks of this thread, reused first (still warm).
struct ThreadCache {
  std::uintptr_t slots[Classes][ThreadCacheSize];
  std::size_t count[Classes] = {};
};
/// Allocated on first use: kept out of static TLS, which a library
/// linking the runtime that is loaded with dlopen must fit in (glibc
/// reserves a few KiB for all of them).
thread_local ThreadCache *threadCachePointer = nullptr;
ThreadCache &threadCache() {
  if (!threadCachePointer)
    threadCachePointer = new ThreadCache;
  return *threadCachePointer;
}

/// The last stacks released under stackfaultonfree, for the fault message;
/// written and read without locks (the reader is a signal handler).
struct ReleasedStack {
  std::atomic<std::uintptr_t> low{0}, high{0};
  std::atomic<std::uint64_t> owner{0};
  std::atomic<bool> moved{false};
};
constexpr std::size_t ReleasedHistory = 4096;
ReleasedStack released[ReleasedHistory];
std::atomic<std::size_t> releasedCount{0};

} // namespace

Stack allocateStack(std::size_t size) {
  unsigned cls = classOf(size);
  Pool &stacks = pool();
  std::uintptr_t slot;
  ThreadCache &cache = threadCache();
  if (cache.count[cls])
    slot = cache.slots[cls][--cache.count[cls]];
  else
    slot = stacks.takeSlot(cls);
  Stack stack = {slot + StackGuardSize, slot + slotSize(cls)};
  if (stacks.faultOnFree())
    madvise(reinterpret_cast<void *>(stack.low), stack.size(), GuardRemove);
  stacks.bytesInUse.fetch_add(stack.size(), std::memory_order_relaxed);
  return stack;
}

void releaseStack(const Stack &stack, std::uint64_t owner, StackRelease why) {
  unsigned cls = classOf(stack.size());
  Pool &stacks = pool();
  stacks.bytesInUse.fetch_sub(stack.size(), std::memory_order_relaxed);
  std::uintptr_t slot = stack.low - StackGuardSize;
  if (stacks.faultOnFree()) {
    ReleasedStack &record =
        released[releasedCount.fetch_add(1) % ReleasedHistory];
    record.low.store(stack.low);
    record.high.store(stack.high);
    record.owner.store(owner);
    record.moved.store(why == StackRelease::Moved);
    // Any stale pointer into it faults from now on; reused last.
    madvise(reinterpret_cast<void *>(stack.low), stack.size(), GuardInstall);
    stacks.putSlot(cls, slot);
    return;
  }
  ThreadCache &cache = threadCache();
  if (cache.count[cls] < ThreadCacheSize) {
    cache.slots[cls][cache.count[cls]++] = slot;
    return;
  }
  stacks.putSlot(cls, slot);
}

bool stackContaining(std::uintptr_t address, Stack &stack, bool &inGuard) {
  return pool().lookup(address, stack, inGuard);
}

bool findReleasedStack(std::uintptr_t address, std::uint64_t &owner,
                       StackRelease &why) {
  std::size_t count = releasedCount.load();
  std::size_t oldest = count > ReleasedHistory ? count - ReleasedHistory : 0;
  for (std::size_t i = count; i-- > oldest;) { // the newest first
    ReleasedStack &record = released[i % ReleasedHistory];
    if (address >= record.low.load() && address < record.high.load()) {
      owner = record.owner.load();
      why = record.moved.load() ? StackRelease::Moved : StackRelease::Exited;
      return true;
    }
  }
  return false;
}

bool stacksFaultOnFree() { return pool().faultOnFree(); }

std::size_t stackBytesInUse() {
  return pool().bytesInUse.load(std::memory_order_relaxed);
}

} // namespace gostack::sched
