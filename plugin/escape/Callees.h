//===-- Callees.h - Which function a call reaches ---------------*- C++ -*-===//
//
/// \file
/// One answer to "which function does this call run?", shared by the call
/// graph (which orders the analysis bottom-up) and the walker (which applies
/// the callee's summary), so the two can never disagree. A call the analysis
/// cannot resolve statically -- virtual, through a pointer -- has no callee:
/// its arguments escape, as in Go.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_ESCAPE_CALLEES_H
#define GOSTACK_PLUGIN_ESCAPE_CALLEES_H

#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace gostack::escape {

/// The function a call statically reaches, or null (virtual dispatch, a
/// function pointer, a pointer to member).
const clang::FunctionDecl *staticCallee(const clang::CallExpr *E);

/// The definition with a body the analysis can walk, or null.
const clang::FunctionDecl *analysableDefinition(const clang::FunctionDecl *FD);

/// The non-trivial destructor run for an object of type T, or null.
const clang::CXXDestructorDecl *destructorFor(clang::QualType T);

/// The gostack runtime functions with Go semantics the walker models itself.
enum class RuntimeCall { None, GoNew, Go, ChanSend };
RuntimeCall classifyRuntimeCall(const clang::FunctionDecl *FD);

/// For a go_new<T, Args...> specialisation: the gostack::detail::construct
/// specialisation it builds its T with (the rewrite calls it on a frame slot).
const clang::FunctionDecl *goNewConstruct(const clang::FunctionDecl *GoNew);

/// For a go_new<T> specialisation: the placement new that builds the T.
const clang::CXXNewExpr *goNewPlacement(const clang::FunctionDecl *GoNew);

/// Calls Visit for every function that walking FD's body may call with a
/// known callee: calls, constructors, destructors of locals and temporaries,
/// the constructor go_new runs. Lambdas defined in FD are part of FD.
void forEachCallee(const clang::FunctionDecl *FD,
                   llvm::function_ref<void(const clang::FunctionDecl *)> Visit);

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_CALLEES_H
