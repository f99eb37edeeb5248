//===-- sched/faults.h - Go's fatal errors for goroutines -------*- C++ -*-===//
//
// What Go prints and does (exit status 2) when a goroutine panics or runs
// out of stack. C++ has no recover: a panic ends the program.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_FAULTS_H
#define GOSTACK_RUNTIME_SCHED_FAULTS_H

#include <string>

namespace gostack::sched {

/// "panic: MESSAGE", the running goroutine's traceback, exit status 2.
[[noreturn]] void panic(const char *message);
/// An exception that leaves a goroutine is a panic naming it, printed with
/// the frames that threw (nothing is unwound: no frame catches it). Only
/// while the program keeps the default terminate handler.
void installPanicOnTerminate();
/// The type and what() of the exception being handled (inside a catch).
std::string describeCurrentException();
/// Turns a fault in a goroutine stack's guard into Go's stack overflow
/// message; other faults go to the handler installed before.
void installStackOverflowHandler();

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_FAULTS_H
