//===-- core/fatal.h - How the runtime dies ---------------------*- C++ -*-===//
//
// Every panic and fatal error ends in die(): its message, then -- as Go's
// throw and panic -- the goroutines' tracebacks (the scheduler registers
// the printer: core knows no goroutine), then exit status 2. Safe in a
// signal handler up to the trailer, which a fault handler asks for knowing
// the fault was the program's.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_CORE_FATAL_H
#define GOSTACK_RUNTIME_CORE_FATAL_H

namespace gostack::core {

/// What follows a fatal message.
enum class Trailer {
  None,    ///< nothing: the runtime's own state may be broken
  Current, ///< the failing goroutine's traceback (Go's panic)
  All,     ///< every goroutine's (Go's throw: deadlock, SIGQUIT)
};

/// Registers what prints a traceback (of every goroutine if \p all).
void setTracebackPrinter(void (*print)(bool all));

/// Writes \p message as it is, then \p trailer, and exits with status 2.
[[noreturn]] void die(const char *message, Trailer trailer);

} // namespace gostack::core

#endif // GOSTACK_RUNTIME_CORE_FATAL_H
