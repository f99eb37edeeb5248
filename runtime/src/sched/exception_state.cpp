//===-- sched/exception_state.cpp - Exceptions per goroutine --------------===//

#include "sched/exception_state.h"

// <cxxabi.h> declares __cxa_get_globals with __attribute__((const)): the
// compiler could then reuse the address taken before a switch of threads.
// Declared here under a name of our own, as an ordinary function.
extern "C" gostack::sched::ExceptionState *
gostackThreadExceptionState() noexcept __asm__("__cxa_get_globals");

namespace gostack::sched {

ExceptionState *threadExceptionState() { return gostackThreadExceptionState(); }

} // namespace gostack::sched
