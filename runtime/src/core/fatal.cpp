//===-- core/fatal.cpp - Unrecoverable runtime errors ---------------------===//

#include <gostack/gostack.h>

#include <cstdio>
#include <string>
#include <unistd.h>

namespace gostack::detail {

void fatal(const char *message) {
  std::fprintf(stderr, "fatal error: gostack: %s\n", message);
  std::fflush(stderr);
  _exit(2);
}

void not_implemented(const char *what) {
  fatal((std::string(what) + " is not implemented yet").c_str());
}

} // namespace gostack::detail
