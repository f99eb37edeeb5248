//===-- heap/roots.cpp - Where the collector starts -----------------------===//

#include "heap/roots.h"

#include <gostack/gostack.h>

#include <atomic>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>

namespace gostack::heap::roots {
namespace {

int addWritableSegments(dl_phdr_info *info, std::size_t, void *data) {
  auto &ranges = *static_cast<MmapVector<Range> *>(data);
  for (int index = 0; index < info->dlpi_phnum; ++index) {
    const ElfW(Phdr) &header = info->dlpi_phdr[index];
    if (header.p_type != PT_LOAD || !(header.p_flags & PF_W))
      continue;
    std::uintptr_t begin = info->dlpi_addr + header.p_vaddr;
    ranges.push_back({begin, begin + header.p_memsz});
  }
  return 0;
}

std::uintptr_t parseHex(const char *&cursor, const char *end) {
  std::uintptr_t value = 0;
  for (; cursor < end; ++cursor) {
    char c = *cursor;
    unsigned digit;
    if (c >= '0' && c <= '9')
      digit = c - '0';
    else if (c >= 'a' && c <= 'f')
      digit = c - 'a' + 10;
    else
      break;
    value = value * 16 + digit;
  }
  return value;
}

} // namespace

namespace {
GoroutineStacks registered;
std::atomic<bool> haveGoroutineStacks{false};
} // namespace

void setGoroutineStacks(const GoroutineStacks &stacks) {
  registered = stacks;
  haveGoroutineStacks.store(true, std::memory_order_release);
}

const GoroutineStacks *goroutineStacks() {
  return haveGoroutineStacks.load(std::memory_order_acquire) ? &registered
                                                             : nullptr;
}

void addGlobals(MmapVector<Range> &ranges) {
  dl_iterate_phdr(addWritableSegments, &ranges);
}

namespace {
/// glibc's sizes (x86-64 puts the TLS blocks below the thread pointer and
/// the control block, struct pthread, at it): the whole static block, the
/// control block's share of it.
struct StaticTls {
  std::size_t size = 0, controlBlock = 0;
  StaticTls() {
    using GetInfo = void (*)(std::size_t *, std::size_t *);
    if (auto info = reinterpret_cast<GetInfo>(
            dlsym(RTLD_DEFAULT, "_dl_get_tls_static_info"))) {
      std::size_t align;
      info(&size, &align);
    }
    if (auto *pthreadSize = static_cast<const unsigned *>(
            dlsym(RTLD_DEFAULT, "_thread_db_sizeof_pthread")))
      controlBlock = *pthreadSize;
  }
};
} // namespace

Range threadStorage(std::uintptr_t threadPointer) {
  static const StaticTls tls;
  std::uintptr_t end = threadPointer + tls.controlBlock;
  return {end - tls.size, end};
}

void MemoryMap::read() {
  mappings_.clear();
  int file = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (file < 0)
    detail::fatal("cannot read /proc/self/maps to find thread stacks");
  // Each line starts "begin-end "; the buffer keeps a partial line.
  char buffer[8192];
  std::size_t kept = 0;
  for (;;) {
    ssize_t bytes = ::read(file, buffer + kept, sizeof buffer - kept);
    if (bytes <= 0)
      break;
    const char *cursor = buffer, *end = buffer + kept + bytes;
    for (;;) {
      const char *newline = cursor;
      while (newline < end && *newline != '\n')
        ++newline;
      if (newline == end)
        break;
      std::uintptr_t begin = parseHex(cursor, newline);
      ++cursor; // '-'
      mappings_.push_back({begin, parseHex(cursor, newline)});
      cursor = newline + 1;
    }
    kept = static_cast<std::size_t>(end - cursor);
    for (std::size_t index = 0; index < kept; ++index)
      buffer[index] = cursor[index];
  }
  close(file);
}

std::uintptr_t MemoryMap::endOfMapping(std::uintptr_t address) const {
  // The kernel lists mappings in address order.
  std::size_t low = 0, high = mappings_.size();
  while (low < high) {
    std::size_t middle = (low + high) / 2;
    const Range &mapping = mappings_[middle];
    if (address < mapping.begin)
      high = middle;
    else if (address >= mapping.end)
      low = middle + 1;
    else
      return mapping.end;
  }
  return address;
}

} // namespace gostack::heap::roots
