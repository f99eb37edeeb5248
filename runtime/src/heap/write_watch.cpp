//===-- heap/write_watch.cpp - Which pages the program wrote --------------===//
//
// See write_watch.h. The kernel's interface, spelled out here because
// Debian bookworm's headers (Linux 6.1) predate it: userfaultfd's
// UFFD_FEATURE_WP_ASYNC (and WP_UNPOPULATED, so that pages not yet touched
// are watched too) and PAGEMAP_SCAN on /proc/self/pagemap (Linux 6.7).
// Called by the collector only, one collection at a time; takeWritten by
// several markers at once, on parts of a range.
//
//===----------------------------------------------------------------------===//

#include "heap/write_watch.h"
#include "core/sanitizers.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gostack::heap::write_watch {
namespace {

constexpr std::uint64_t FeatureWriteProtectUnpopulated = 1 << 13;
constexpr std::uint64_t FeatureWriteProtectAsync = 1 << 15;

struct PageRegion {
  std::uint64_t start, end, categories;
};
struct PageMapScan {
  std::uint64_t size, flags, start, end, walkEnd, vector, vectorLength,
      maxPages, categoryInverted, categoryMask, categoryAnyOfMask, returnMask;
};
constexpr unsigned long PageMapScanIoctl = _IOWR('f', 16, PageMapScan);
constexpr std::uint64_t ScanWriteProtectMatching = 1;
constexpr std::uint64_t ScanCheckWriteProtectAsync = 2;
constexpr std::uint64_t PageIsWritten = 2;

/// Written runs one PAGEMAP_SCAN call reports at most: the kernel joins
/// adjacent written pages into one, and the caller asks again from where
/// it stopped.
constexpr std::size_t RegionsPerScan = 64;

struct Range {
  std::uintptr_t begin, end;
};

/// A watched range as kept in the globals, which are roots: by its end and
/// size, since its start is the address of a heap's first object.
struct WatchedRange {
  std::uintptr_t end, bytes;
};

struct State {
  int faultFd = -1, pageMapFd = -1;
  bool failed = false;
  std::array<WatchedRange, 4> watched{};
  std::size_t count = 0;
  std::atomic<bool> protecting{false};
};
State state;

bool open() {
  if (state.faultFd >= 0 || state.failed)
    return !state.failed;
  // User-mode faults only: allowed without privileges where
  // vm.unprivileged_userfaultfd is 0. Writes from the kernel are still
  // resolved (asynchronous mode never waits for a handler) and recorded.
  int fd = static_cast<int>(
      syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY));
  uffdio_api api{};
  api.api = UFFD_API;
  api.features = FeatureWriteProtectAsync | FeatureWriteProtectUnpopulated;
  int pageMap = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ioctl(fd, UFFDIO_API, &api) != 0 || pageMap < 0) {
    if (fd >= 0)
      close(fd);
    if (pageMap >= 0)
      close(pageMap);
    state.failed = true;
    return false;
  }
  state.faultFd = fd;
  state.pageMapFd = pageMap;
  return true;
}

/// Scans \p range; with \p written, only the written pages, which are
/// reported to \p visit. Every page it matches is write-protected again.
bool scan(const Range &range, bool written, VisitWritten visit, void *context) {
  PageMapScan request{};
  if (range.begin == range.end) {
    // No walk: whether the kernel knows PAGEMAP_SCAN at all (Linux 6.7).
    request.size = sizeof request;
    request.start = request.end = range.begin;
    return ioctl(state.pageMapFd, PageMapScanIoctl, &request) >= 0;
  }
  // The answer on this call's stack: several markers scan parts of a heap
  // at once. Not left there once read: it holds heap addresses, which a
  // later scan of this thread's stack would take for pointers.
  PageRegion regions[RegionsPerScan];
  request.size = sizeof request;
  request.flags = ScanWriteProtectMatching | ScanCheckWriteProtectAsync;
  request.end = range.end;
  request.vector = reinterpret_cast<std::uintptr_t>(regions);
  request.vectorLength = RegionsPerScan;
  request.categoryMask = written ? PageIsWritten : 0;
  request.returnMask = PageIsWritten;
  bool scanned = true;
  for (std::uintptr_t next = range.begin; next < range.end;) {
    request.start = next;
    long found = ioctl(state.pageMapFd, PageMapScanIoctl, &request);
    if (found < 0) {
      scanned = false;
      break;
    }
    if (visit)
      for (long region = 0; region < found; ++region)
        visit(context, regions[region].start, regions[region].end);
    next = request.walkEnd;
  }
  explicit_bzero(regions, sizeof regions);
  return scanned;
}

} // namespace

GOSTACK_NO_FAKE_FRAME bool watch(std::uintptr_t begin, std::uintptr_t end) {
  if (!open())
    return false;
  for (std::size_t index = 0; index < state.count; ++index)
    if (state.watched[index].end == end &&
        state.watched[index].bytes == end - begin)
      return true;
  uffdio_register request{};
  request.range.start = begin;
  request.range.len = end - begin;
  request.mode = UFFDIO_REGISTER_MODE_WP;
  // An empty scan tells whether PAGEMAP_SCAN exists (Linux 6.7).
  if (state.count == state.watched.size() ||
      ioctl(state.faultFd, UFFDIO_REGISTER, &request) != 0 ||
      !scan({begin, begin}, false, nullptr, nullptr))
    return false;
  state.watched[state.count++] = {end, end - begin};
  return true;
}

GOSTACK_NO_FAKE_FRAME void protect(std::uintptr_t begin, std::uintptr_t end) {
  scan({begin, end}, false, nullptr, nullptr);
}

GOSTACK_NO_FAKE_FRAME void unprotect(std::uintptr_t begin, std::uintptr_t end) {
  if (begin == end)
    return;
  uffdio_writeprotect request{};
  request.range.start = begin;
  request.range.len = end - begin;
  request.mode = 0;
  ioctl(state.faultFd, UFFDIO_WRITEPROTECT, &request);
}

bool protecting() { return state.protecting.load(std::memory_order_seq_cst); }
void setProtecting(bool on) {
  state.protecting.store(on, std::memory_order_seq_cst);
}

GOSTACK_NO_FAKE_FRAME void takeWritten(std::uintptr_t begin, std::uintptr_t end,
                                       VisitWritten visit, void *context) {
  if (!scan({begin, end}, true, visit, context))
    // Unreachable once the range is watched; if the kernel ever refused,
    // all of it counts as written: slower, never wrong.
    visit(context, begin, end);
}

} // namespace gostack::heap::write_watch
