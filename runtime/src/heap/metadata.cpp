//===-- heap/metadata.cpp - Memory for the heap's own bookkeeping ---------===//

#include "heap/metadata.h"
#include "core/os.h"

#include <gostack/gostack.h>

#include <atomic>
#include <cstdint>
#include <sys/mman.h>

namespace gostack::heap {
namespace {

constexpr unsigned MinLog = 4, MaxLog = 16; // 16 B .. 64 KiB in lists
constexpr std::size_t ChunkBytes = std::size_t(1) << 20;

void *mapOrDie(std::size_t bytes) {
  return os::mapOrDie(bytes, "out of memory: cannot map the GC heap's "
                             "metadata");
}

unsigned classOf(std::size_t bytes) {
  unsigned log = MinLog;
  while ((std::size_t(1) << log) < bytes)
    ++log;
  return log;
}

struct FreeBlock {
  FreeBlock *next;
};

class Metadata {
public:
  void *allocate(std::size_t bytes) {
    if (!bytes)
      bytes = 1;
    unsigned log = classOf(bytes);
    if (log > MaxLog)
      return mapOrDie(std::size_t(1) << log);
    Guard guard(lock_);
    if (FreeBlock *block = free_[log]) {
      free_[log] = block->next;
      return block;
    }
    std::size_t size = std::size_t(1) << log;
    if (next_ + size > end_) {
      next_ = reinterpret_cast<std::uintptr_t>(mapOrDie(ChunkBytes));
      end_ = next_ + ChunkBytes;
    }
    void *memory = reinterpret_cast<void *>(next_);
    next_ += size;
    return memory;
  }

  void free(void *memory, std::size_t bytes) {
    if (!memory)
      return;
    if (!bytes)
      bytes = 1;
    unsigned log = classOf(bytes);
    if (log > MaxLog) {
      os::unmap(memory, std::size_t(1) << log);
      return;
    }
    Guard guard(lock_);
    auto *block = static_cast<FreeBlock *>(memory);
    block->next = free_[log];
    free_[log] = block;
  }

  void lockForFork() {
    while (lock_.exchange(true, std::memory_order_acquire))
      __builtin_ia32_pause();
  }
  void unlockAfterFork() { lock_.store(false, std::memory_order_release); }

private:
  struct Guard {
    explicit Guard(std::atomic<bool> &lock) : lock_(lock) {
      while (lock_.exchange(true, std::memory_order_acquire))
        __builtin_ia32_pause();
    }
    ~Guard() { lock_.store(false, std::memory_order_release); }
    std::atomic<bool> &lock_;
  };

  std::atomic<bool> lock_{false};
  FreeBlock *free_[MaxLog + 1] = {};
  std::uintptr_t next_ = 0, end_ = 0;
};

Metadata &metadata() {
  static Metadata instance; // trivially destructible in effect: never freed
  return instance;
}

} // namespace

void *metadataAllocate(std::size_t bytes) { return metadata().allocate(bytes); }

void metadataLockForFork() { metadata().lockForFork(); }
void metadataUnlockAfterFork() { metadata().unlockAfterFork(); }

void metadataFree(void *memory, std::size_t bytes) {
  metadata().free(memory, bytes);
}

} // namespace gostack::heap
