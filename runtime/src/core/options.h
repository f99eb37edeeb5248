//===-- core/options.h - The runtime's environment knobs --------*- C++ -*-===//
//
// GOSTACK_GC=N|off  the heap grows by N percent over what the last
//                   collection kept before the next one (Go's GOGC;
//                   default 100); off: only gostack::gc() collects.
// GOSTACK_MAXPROCS=N  N worker threads run goroutines (Go's GOMAXPROCS;
//                   default one per core)
// GOSTACK_DEBUG=key=value,...  (Go's GODEBUG)
//   gctrace=1       one line on stderr per collection
//   stackmove=1     move the stack at every stack check (docs/STACKS.md),
//                   but while an unmanaged caller's lent address lives
//                   (docs/ANALYZER.md)
//   stackfaultonfree=1  freed stacks fault when touched
//   stackcheck=1    at every move by the stack maps, a word of a managed
//                   frame that points into the stack but that the maps do
//                   not name stops the program, naming frame and slot
//   stackmapsoff=1  scan and move every goroutine stack word by word,
//                   ignoring the stack maps
//   lentcheck=1     a managed function entered with an address in the
//                   goroutine's stack in a parameter it keeps (from an
//                   unmanaged caller) stops the program, naming function
//                   and parameter (Go's cgocheck), instead of the stack
//                   moves keeping the kept copies right
// GOSTACK_TRACEBACK=single|system  system: tracebacks show the runtime's
//                   own frames too (Go's GOTRACEBACK=system)
// GOSTACK_SYMBOLIZER=path|off  what names frames in tracebacks (default:
//                   LLVM's llvm-symbolizer)
//
// An unknown GOSTACK_ variable, an unknown GOSTACK_DEBUG key or a value
// that is not a number is said once on stderr, then ignored.
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
/// GOSTACK_TRACEBACK=system.
bool systemTraceback();

} // namespace gostack::options

#endif // GOSTACK_RUNTIME_CORE_OPTIONS_H
