//===-- core/fatal.cpp - How the runtime dies -----------------------------===//

#include "core/fatal.h"

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace gostack::core {
namespace {

std::atomic<void (*)(bool)> tracebackPrinter{nullptr};

} // namespace

void setTracebackPrinter(void (*print)(bool all)) {
  tracebackPrinter.store(print);
}

void die(const char *message, Trailer trailer) {
  // write(2), not stdio: a fault handler may be what calls this.
  if (write(STDERR_FILENO, message, std::strlen(message)) < 0)
    _exit(2);
  void (*print)(bool) = tracebackPrinter.load();
  if (print && trailer != Trailer::None)
    print(trailer == Trailer::All);
  std::fflush(stderr);
  _exit(2);
}

} // namespace gostack::core

namespace gostack::detail {

void fatal(const char *message) {
  // No traceback: this is the runtime's own failure, and its state (a
  // lock held, the world stopped) may not allow one.
  char text[1024];
  std::snprintf(text, sizeof text, "fatal error: gostack: %s\n", message);
  core::die(text, core::Trailer::None);
}

} // namespace gostack::detail
