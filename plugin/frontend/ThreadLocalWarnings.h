//===-- frontend/ThreadLocalWarnings.h - TLS across parks -------*- C++ -*-===//
//
/// \file
/// A goroutine that parks (a channel operation, wait, yield: functions
/// marked GOSTACK_MAY_PARK) or calls a managed function (which may park, or
/// be preempted at its stack check) may resume on another worker thread.
/// A thread_local used after that is the other thread's copy -- and the
/// compiler, which assumes a function stays on one thread, may even keep
/// using the first thread's address. So in managed code the plugin warns
/// at the first use of each thread_local variable after such a call (or
/// anywhere in a loop that makes one), with a note at the call, and points
/// to gostack::goroutine_local<T>. Under `werror` the warning is an error.
///
/// Run: clang++ -fplugin=libgostack-plugin.so -fsyntax-only file.cpp
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_THREADLOCALWARNINGS_H
#define GOSTACK_PLUGIN_FRONTEND_THREADLOCALWARNINGS_H

#include "frontend/EscapeReport.h"

#include "clang/AST/ASTContext.h"

#include <functional>

namespace gostack {

/// Whether \p FD, or the template it was instantiated from, is marked
/// GOSTACK_MAY_PARK (it may park the calling goroutine).
bool markedMayPark(const clang::FunctionDecl *FD);

/// Adds a warning (an error if \p AsErrors) to \p Findings for each
/// thread_local variable used after a call that can park, in every managed
/// function of \p Ctx, with a note at the call.
void addThreadLocalFindings(
    clang::ASTContext &Ctx,
    const std::function<bool(const clang::FunctionDecl *)> &IsManaged,
    bool AsErrors, std::vector<Finding> &Findings);

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_THREADLOCALWARNINGS_H
