//===-- sched/exception_state.h - Exceptions per goroutine ------*- C++ -*-===//
//
// The C++ runtime keeps, per thread, the exceptions being handled (the
// caught-exception stack that `throw;`, std::current_exception and
// std::rethrow_exception read) and the number of exceptions in flight
// (std::uncaught_exceptions). Both belong to the goroutine, which may leave
// a catch block or a destructor run by unwinding to park and come back on
// another worker -- or let another goroutine throw on this one meanwhile.
// So the state moves with the goroutine, as folly's fibers do it. The
// worker moves it, on its own thread, around each switch to a goroutine:
//
//   enter   before the switch: the goroutine's state is put in the thread;
//   leave   once the goroutine is back off its stack: it is taken out, and
//           the thread is left with none.
//
// The worker finds its thread's state once (threadExceptionState), so a
// switch costs two loads and two stores each way, no call.
//
// Invariant: a worker holds no exception state while it runs its scheduling
// loop -- every goroutine's was taken out when it left -- so enter never
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

/// The calling thread's exception state, at an address fixed for the
/// thread's life.
ExceptionState *threadExceptionState();

/// Gives the thread whose state is \p thread a goroutine's \p saved state.
inline void enterExceptionState(ExceptionState &thread,
                                const ExceptionState &saved) {
  thread = saved;
}
/// Moves \p thread's state into \p saved; the thread is left with none.
inline void leaveExceptionState(ExceptionState &thread, ExceptionState &saved) {
  saved = thread;
  thread = {};
}

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_EXCEPTION_STATE_H
