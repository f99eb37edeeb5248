//===-- sched/traceback.h - Goroutine stacks in fatal errors ----*- C++ -*-===//
//
// What Go prints after "panic:" or "fatal error:": each goroutine's id, what
// it waits for, and its frames, innermost first --
//
//   goroutine 7 [chan receive]:
//   consume(gostack::chan<int>&)
//           /src/pool.cpp:41:12
//
// Frames come from the unwinder (the same tables exceptions use): the
// running goroutine's from where it is, a suspended one's by unwinding from
// the context its switch saved (gostack_call_as_suspended). The runtime's
// own frames are left out. Names and lines come from llvm-symbolizer when it
// is there (GOSTACK_SYMBOLIZER=path, or off), else from the modules' symbol
// tables, as module+offset (addr2line -e MODULE OFFSET gives the line).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_TRACEBACK_H
#define GOSTACK_RUNTIME_SCHED_TRACEBACK_H

namespace gostack::sched {

struct Goroutine;

/// Go's wait reasons, shown in brackets after a goroutine's id.
namespace wait_reason {
inline constexpr const char *ChanReceive = "chan receive";
inline constexpr const char *ChanSend = "chan send";
inline constexpr const char *Select = "select";
inline constexpr const char *Semacquire = "semacquire";
inline constexpr const char *Runnable = "runnable";
} // namespace wait_reason

/// Prints the calling goroutine (or thread) as "[running]" with its frames,
/// then, if \p all, every other goroutine: running ones without frames,
/// suspended ones with theirs. Those must stay suspended meanwhile (the
/// world is stopped, or every worker sleeps).
void printTraceback(bool all);

/// On SIGQUIT, prints every goroutine's stack and exits with status 2, as
/// Go; a handler the program installed first is kept and this does nothing.
void installQuitHandler();
/// Called by the monitor: whether SIGQUIT arrived.
bool quitRequested();

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_TRACEBACK_H
