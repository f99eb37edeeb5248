//===-- core/options.cpp - The runtime's environment knobs ----------------===//

#include "core/options.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace gostack::options {

long gcPercent() {
  const char *value = std::getenv("GOSTACK_GC");
  if (!value || !*value)
    return 100;
  if (!std::strcmp(value, "off"))
    return -1;
  char *end;
  long percent = std::strtol(value, &end, 10);
  if (*end || percent < 0) {
    std::fprintf(stderr,
                 "gostack: GOSTACK_GC=%s is neither a percentage nor 'off'; "
                 "using 100\n",
                 value);
    return 100;
  }
  return percent;
}

long maxProcs() {
  long cores = static_cast<long>(std::thread::hardware_concurrency());
  if (cores < 1)
    cores = 1;
  const char *value = std::getenv("GOSTACK_MAXPROCS");
  if (!value || !*value)
    return cores;
  char *end;
  long procs = std::strtol(value, &end, 10);
  if (*end || procs < 1 || procs > 1024) {
    std::fprintf(stderr,
                 "gostack: GOSTACK_MAXPROCS=%s is not a number from 1 to "
                 "1024; using %ld\n",
                 value, cores);
    return cores;
  }
  return procs;
}

bool debugEnabled(const char *key) {
  const char *settings = std::getenv("GOSTACK_DEBUG");
  std::size_t keyLength = std::strlen(key);
  for (const char *item = settings; item && *item;) {
    const char *end = std::strchr(item, ',');
    std::size_t length = end ? std::size_t(end - item) : std::strlen(item);
    if (length > keyLength && !std::strncmp(item, key, keyLength) &&
        item[keyLength] == '=')
      return std::strtol(item + keyLength + 1, nullptr, 10) != 0;
    item = end ? end + 1 : nullptr;
  }
  return false;
}

} // namespace gostack::options
