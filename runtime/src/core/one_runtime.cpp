//===-- core/one_runtime.cpp - One copy of the runtime per process --------===//

#include "core/one_runtime.h"

#include <gostack/gostack.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

namespace gostack::core {
namespace {

/// Below 2 GiB: application memory under every sanitizer's layout, and far
/// from where PIE executables, their heap and mmap put anything.
constexpr std::uintptr_t ClaimAddress = 0x7e000000;
constexpr std::uint64_t ClaimMagic = 0x676f737461636b31; // "gostack1"

struct Claim {
  std::uint64_t magic;
  const void *copy; ///< this copy's identity: the address of `identity`
  char module[512]; ///< the file this copy is linked into
};

const char identity = 0;

void moduleOf(const void *address, char *out, std::size_t size) {
  Dl_info info;
  const char *name = dladdr(address, &info) && info.dli_fname && *info.dli_fname
                         ? info.dli_fname
                         : "the executable";
  std::snprintf(out, size, "%s", name);
}

void claim() {
  void *page = mmap(reinterpret_cast<void *>(ClaimAddress), sizeof(Claim),
                    PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (page == reinterpret_cast<void *>(ClaimAddress)) {
    auto *mine = static_cast<Claim *>(page);
    mine->magic = ClaimMagic;
    mine->copy = &identity;
    moduleOf(&identity, mine->module, sizeof mine->module);
    return;
  }
  if (page != MAP_FAILED) { // a kernel without MAP_FIXED_NOREPLACE
    munmap(page, sizeof(Claim));
    return;
  }
  // Taken: by another copy, or by something else (read without faulting).
  Claim theirs;
  iovec local = {&theirs, sizeof theirs};
  iovec remote = {reinterpret_cast<void *>(ClaimAddress), sizeof theirs};
  if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) !=
          ssize_t(sizeof theirs) ||
      theirs.magic != ClaimMagic || theirs.copy == &identity)
    return;
  theirs.module[sizeof theirs.module - 1] = 0;
  char mine[512], message[1400];
  moduleOf(&identity, mine, sizeof mine);
  std::snprintf(message, sizeof message,
                "two copies of the gostack runtime in one process: one linked "
                "into %s, another into %s. Each would collect its own heap "
                "blind to the other's; link libgostack once (into the "
                "executable, or into one shared library the others use)",
                theirs.module, mine);
  detail::fatal(message);
}

} // namespace

void claimProcess() {
  static std::once_flag claimed;
  std::call_once(claimed, claim);
}

} // namespace gostack::core
