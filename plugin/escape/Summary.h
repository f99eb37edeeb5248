//===-- Summary.h - What a function does with its parameters ----*- C++ -*-===//

#ifndef GOSTACK_PLUGIN_ESCAPE_SUMMARY_H
#define GOSTACK_PLUGIN_ESCAPE_SUMMARY_H

#include "escape/Leaks.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace gostack::escape {

/// A function's summary, applied at each call instead of its body.
struct FunctionSummary {
  /// Index 0 is `this` for an instance method or constructor, then the
  /// declared parameters in order.
  llvm::SmallVector<Leaks, 4> Params;
  /// The address of the object the function returns by value escapes (its
  /// constructor leaked `this`): the caller's object must live in the heap.
  bool ResultEscapes = false;
};

/// Summaries by canonical declaration.
using SummaryMap = llvm::DenseMap<const clang::FunctionDecl *, FunctionSummary>;

/// Whether calls pass an implicit object argument (`this`) first.
inline bool hasThisParameter(const clang::FunctionDecl *FD) {
  const auto *Method = llvm::dyn_cast<clang::CXXMethodDecl>(FD);
  return Method && Method->isImplicitObjectMemberFunction();
}

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_SUMMARY_H
