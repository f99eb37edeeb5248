//===-- core/fatal.cpp - Unrecoverable runtime errors ---------------------===//

#include <gostack/gostack.h>

#include <cstdio>
#include <unistd.h>

namespace gostack::detail {

void fatal(const char *message) {
  std::fprintf(stderr, "fatal error: gostack: %s\n", message);
  std::fflush(stderr);
  _exit(2);
}

} // namespace gostack::detail
