//===-- sched/stack_maps.cpp - The plugin's stack maps --------------------===//
//
// The linker gathers every object's contribution to gostack_stackmaps into
// one section of the executable and defines __start_/__stop_ symbols around
// it; the runtime, a static library, sees the executable's. (A shared
// library's managed code has its own section, which these symbols do not
// cover: its frames have no site, so their stacks are scanned word by word.)
//
// The table is built on first use, by whichever thread gets there, into its
// own memory, and published with one compare-and-swap: a thread stopped
// half-way by the collector holds no lock that anyone waits for.
//
//===----------------------------------------------------------------------===//

#include "sched/stack_maps.h"

#include "core/fatal.h"
#include "heap/mmap_vector.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <new>
#include <sys/mman.h>

#define GOSTACK_CONCAT2(A, B) A##B
#define GOSTACK_CONCAT(A, B) GOSTACK_CONCAT2(A, B)

// Weak: a program without managed code has no such section.
extern "C" {
extern const char GOSTACK_CONCAT(__start_, GOSTACK_STACK_MAP_SECTION)[]
    __attribute__((weak, visibility("hidden")));
extern const char GOSTACK_CONCAT(__stop_, GOSTACK_STACK_MAP_SECTION)[]
    __attribute__((weak, visibility("hidden")));
}

namespace gostack::sched {
namespace {

using detail::SiteKind;
using detail::StackMapHeader;

struct Entry {
  std::uintptr_t returnAddress;
  const StackMapSite *site;
};

struct Table {
  heap::MmapVector<Entry> entries;
  /// Every return address lies in [lowest, highest]: most words of a stack
  /// are ruled out by two compares.
  std::uintptr_t lowest = ~std::uintptr_t{0}, highest = 0;
};

std::atomic<Table *> published{nullptr};

std::size_t siteBytes(const StackMapSite &site) {
  return sizeof(StackMapSite) + site.ObjectCount * sizeof(StackMapObject) +
         (site.PointerCount + site.DeadSlotCount) * sizeof(std::int32_t);
}

[[noreturn]] void corrupt(const char *what) {
  char message[160];
  std::snprintf(message, sizeof message,
                "fatal error: the stack maps (section gostack_stackmaps) are "
                "not readable: %s\n",
                what);
  core::die(message, core::Trailer::None);
}

Table *readTable() {
  void *memory = mmap(nullptr, sizeof(Table), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED)
    corrupt("out of memory for the table");
  auto *table = new (memory) Table();
  const char *at = GOSTACK_CONCAT(__start_, GOSTACK_STACK_MAP_SECTION);
  const char *end = GOSTACK_CONCAT(__stop_, GOSTACK_STACK_MAP_SECTION);
  while (at && at < end) {
    StackMapHeader header;
    std::memcpy(&header, at, sizeof header);
    if (header.Magic != detail::StackMapMagic)
      corrupt("bad magic number");
    if (header.Version != detail::StackMapVersion)
      corrupt("written by a plugin of another version; rebuild with the "
              "plugin that matches this runtime");
    at += sizeof header;
    for (std::uint32_t i = 0; i < header.SiteCount; ++i) {
      const auto *site = reinterpret_cast<const StackMapSite *>(at);
      if (at + sizeof(StackMapSite) > end || at + siteBytes(*site) > end)
        corrupt("a record runs past the section's end");
      std::uintptr_t address = returnAddressOf(*site);
      table->entries.push_back({address, site});
      table->lowest = std::min(table->lowest, address);
      table->highest = std::max(table->highest, address);
      at += siteBytes(*site);
    }
  }
  std::sort(table->entries.begin(), table->entries.end(),
            [](const Entry &a, const Entry &b) {
              return a.returnAddress < b.returnAddress;
            });
  return table;
}

[[gnu::noinline]] const Table &publishTable() {
  Table *mine = readTable();
  Table *expected = nullptr;
  if (published.compare_exchange_strong(expected, mine,
                                        std::memory_order_acq_rel))
    return *mine;
  // Another thread published first; ours stays unused (rare, bounded).
  return *expected;
}

/// The table, read on the first call. Inline: every lookup starts here.
inline const Table &table() {
  if (Table *ready = published.load(std::memory_order_acquire)) [[likely]]
    return *ready;
  return publishTable();
}

} // namespace

ReturnAddressRange siteRange() {
  const Table &t = table();
  return {t.lowest, t.highest};
}

const StackMapSite *siteAt(std::uintptr_t returnAddress) {
  const Table &t = table();
  if (returnAddress < t.lowest || returnAddress > t.highest)
    return nullptr;
  // A deep stack repeats a few return addresses: a small per-thread cache
  // in front of the binary search (misses are cached too). Mapped on first
  // use: static TLS is scarce in a library loaded with dlopen.
  constexpr std::size_t CacheSize = 1024;
  thread_local Entry *cache = nullptr;
  if (!cache) {
    void *memory =
        mmap(nullptr, CacheSize * sizeof(Entry), PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
      corrupt("out of memory for the cache");
    cache = static_cast<Entry *>(memory);
  }
  Entry &cached = cache[(returnAddress >> 2) % CacheSize];
  if (cached.returnAddress == returnAddress && returnAddress)
    return cached.site;
  const Entry *found = std::lower_bound(
      t.entries.begin(), t.entries.end(), returnAddress,
      [](const Entry &e, std::uintptr_t a) { return e.returnAddress < a; });
  const StackMapSite *site =
      found == t.entries.end() || found->returnAddress != returnAddress
          ? nullptr
          : found->site;
  cached = {returnAddress, site};
  return site;
}

std::size_t stackMapSiteCount() { return table().entries.size(); }

} // namespace gostack::sched
