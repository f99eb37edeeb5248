//===-- sched/exception_state.h - Exceptions per goroutine -----*- C++ -*-===//
//
// The C++ runtime keeps, per thread, the exceptions being handled (the
// caught-exception stack that `throw;`, std::current_exception and
// std::rethrow_exception read) and the number of exceptions in flight
// (std::uncaught_exceptions). Both belong to the goroutine, which may leave
// a catch block or a destructor run by unwinding to park and come back on
// another worker -- or let another goroutine throw on this one meanwhile.
// So the state moves with the goroutine, as folly's fibers do it:
//
//   leave(state)   the goroutine is leaving its thread: its state is taken
//                  out of the thread, which is left with none;
//   enter(state)   it runs again (on any thread): its state is put back.
//
// Invariant: a worker holds no exception state while it runs its scheduling
// loop -- every goroutine took its own when it left -- so enter() never
// overwrites a state that belongs to anyone.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_EXCEPTION_STATE_H
#define GOSTACK_RUNTIME_SCHED_EXCEPTION_STATE_H

namespace gostack::sched {

/// The Itanium C++ ABI's per-thread exception globals (__cxa_eh_globals in
/// libstdc++ and libc++abi alike).
struct ExceptionState {
  void *caughtExceptions = nullptr;
  unsigned int uncaughtExceptions = 0;
};

/// Moves this thread's exception state into \p state; the thread has none.
void leaveExceptionState(ExceptionState &state);
/// Gives this thread the exception state \p state saved by leave().
void enterExceptionState(const ExceptionState &state);

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_EXCEPTION_STATE_H
