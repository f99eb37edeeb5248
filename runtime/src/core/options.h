//===-- core/options.h - The runtime's environment knobs --------*- C++ -*-===//
//
// GOSTACK_GC=N|off  the heap grows by N percent over what the last
//                   collection kept before the next one (Go's GOGC;
//                   default 100); off: only gostack::gc() collects.
// GOSTACK_MAXPROCS=N  N worker threads run goroutines (Go's GOMAXPROCS;
//                   default one per core)
// GOSTACK_DEBUG=key=value,...  (Go's GODEBUG; unknown keys are ignored)
//   gctrace=1       one line on stderr per collection
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_CORE_OPTIONS_H
#define GOSTACK_RUNTIME_CORE_OPTIONS_H

namespace gostack::options {

/// GOSTACK_GC as a percentage; negative when off.
long gcPercent();
/// GOSTACK_MAXPROCS: worker threads running goroutines (default: cores).
long maxProcs();
/// Whether GOSTACK_DEBUG sets \p key to a non-zero number.
bool debugEnabled(const char *key);

} // namespace gostack::options

#endif // GOSTACK_RUNTIME_CORE_OPTIONS_H
