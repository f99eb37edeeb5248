//===-- core/one_runtime.h - One runtime per process ------------*- C++ -*-===//
//
// Two copies of the runtime in one process -- an executable linking
// libgostack that loads a shared library linking its own -- would run two
// schedulers and two collectors, each blind to the other's heap: each would
// free objects only the other can see. The first copy to start claims the
// process by mapping a page at a fixed address (MAP_FIXED_NOREPLACE) that
// names it; a second copy finds the page taken and stops with a message
// naming both modules.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_CORE_ONE_RUNTIME_H
#define GOSTACK_RUNTIME_CORE_ONE_RUNTIME_H

namespace gostack::core {

/// Claims the process for this copy of the runtime, once; a fatal error if
/// another copy did first.
void claimProcess();

} // namespace gostack::core

#endif // GOSTACK_RUNTIME_CORE_ONE_RUNTIME_H
