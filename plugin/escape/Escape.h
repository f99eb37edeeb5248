//===-- Escape.h - Go's escape analysis over managed C++ --------*- C++ -*-===//
//
/// \file
/// Escape analysis, after Go's cmd/compile/internal/escape.
///
/// The goal is to place in the current frame every object that can live
/// there, while keeping two invariants:
///   (1) a pointer to a stack object is never stored in the heap (nor in a
///       global, another goroutine, or anything the analysis cannot see);
///   (2) a pointer to a stack object never outlives that object.
/// Objects that break them move to the GC heap. The same invariants make it
/// safe for the runtime to move goroutine stacks: every pointer into a stack
/// lives in that stack.
///
/// The method. The functions of the translation unit that managed code can
/// reach are ordered bottom-up over the strongly connected components of
/// their call graph (Escape.cpp). Each component (a batch: one function, or
/// mutually recursive ones, with their lambdas) becomes a directed, weighted
/// graph (Graph.h): vertices are locations -- variables, parameters,
/// results, allocations, closures, the heap -- and an edge says that a value
/// flows from one location to another, weighted by dereferences minus
/// address-ofs:
///
///   p = &q    // -1        p = q    // 0        p = *q    // 1
///
/// The walker builds the graph from statements, expressions and calls
/// (Walker.h). The solver (Solve.cpp) then finds, for every location, the
/// shortest-dereference paths into it: a location whose address reaches a
/// location that outlives it escapes. A result outlives everything; a
/// variable declared outside a loop outlives one declared inside it; a
/// variable of a function outlives the locals of the lambdas defined in it.
/// Parameters that reach the heap or the result are summarised (Leaks.h),
/// and callers in later batches use the summary instead of the body.
///
/// What the analysis deliberately does not distinguish, as in Go: fields of
/// an object, elements of an array, program order (it is flow-insensitive:
/// an escape on any path is an escape), and where a store through a pointer
/// lands (the heap). Unlike Go, the analysis runs before inlining, so its
/// verdicts compare with `go build -gcflags='-m -l'`.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_ESCAPE_ESCAPE_H
#define GOSTACK_PLUGIN_ESCAPE_ESCAPE_H

#include "escape/Leaks.h"

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>
#include <vector>

namespace gostack::escape {

/// One decision about something in a managed function, as reported.
struct Verdict {
  enum KindType {
    MovedToHeap,    ///< a local (or a parameter) whose address escapes
    Allocation,     ///< a go_new call
    Lambda,         ///< a lambda's closure
    Parameter,      ///< where a parameter's value goes
    BrokenNoEscape, ///< a [[clang::noescape]] parameter that escapes
    Unmovable,      ///< a variable to move to the heap that cannot be moved
  };
  KindType Kind;
  clang::SourceLocation Loc;
  /// The variable or parameter name, or the allocation's spelling.
  std::string Subject;
  bool Escapes = false;
  /// For MovedToHeap: the variable's address reaches its function's result.
  bool AddressReturned = false;
  Leaks ParamLeaks; ///< for Parameter
  /// The m=2 explanation, one line per note (for Unmovable: the reason).
  std::vector<std::string> Explanation;

  /// What the verdict is about, for the rewrite: the function whose frame it
  /// concerns, the go_new call or lambda, the variable or parameter.
  const clang::FunctionDecl *Fn = nullptr;
  const clang::Expr *Site = nullptr;
  const clang::ValueDecl *Var = nullptr;
  /// For Parameter: kept by its own function, not only by managed callees
  /// (which check their own entry): the function checks it on entry.
  bool KeptDirectly = false;
};

/// Asks whether a function is managed (its decisions are reported).
using IsManagedFn = llvm::function_ref<bool(const clang::FunctionDecl *)>;
/// Gives a called function without a body its body if it can (a member of a
/// standard library template instantiated elsewhere, `extern template`);
/// without one, the call is unknown and its pointer arguments escape.
using ProvideBodyFn = llvm::function_ref<void(const clang::FunctionDecl *)>;

/// Analyses every managed function of the translation unit, and what they
/// call, and returns the verdicts about managed code in source order.
/// Explanations are recorded only when \p Explain is set (m=2).
std::vector<Verdict> analyseTranslationUnit(clang::ASTContext &Ctx,
                                            IsManagedFn IsManaged, bool Explain,
                                            ProvideBodyFn ProvideBody = {});

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_ESCAPE_H
