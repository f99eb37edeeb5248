//===-- HeldDefinitions.h - Code generation waits for the analysis -*- C++ -*-//
//
/// \file
/// The escape analysis needs the whole translation unit (a callee may be
/// defined after its caller), but Clang's code generator emits a function
/// that must be emitted -- a non-inline definition -- as soon as the parser
/// hands it over, long before the end of the translation unit. Inline
/// functions, template instantiations and lambdas are deferred to the end
/// anyway.
///
/// So the plugin, whose consumer sees each declaration before the code
/// generator does, holds such managed definitions back: it detaches the body
/// (the declaration stays a definition for Sema, through willHaveBody), so
/// the code generator skips it. At the end of the translation unit the bodies
/// are put back, analysed and rewritten, and then handed to every consumer
/// again, and the code generator emits them from the rewritten AST.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_HELDDEFINITIONS_H
#define GOSTACK_PLUGIN_FRONTEND_HELDDEFINITIONS_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTConsumer;
} // namespace clang

namespace gostack {

class HeldDefinitions {
public:
  using IsManagedFn = llvm::function_ref<bool(const clang::FunctionDecl *)>;

  /// Holds back the managed definitions in \p D (a top-level declaration or
  /// an inline member function definition) that code generation would emit
  /// now.
  void holdBack(clang::Decl *D, IsManagedFn IsManaged);

  /// Puts the held bodies back, for the analysis and the rewrite.
  void restoreBodies();

  /// Hands the held definitions (restoreBodies first) to \p AllConsumers (the
  /// compiler's multiplexing consumer, code generation included) to be emitted
  /// now.
  void release(clang::ASTConsumer &AllConsumers);

  /// True while release() feeds the consumers: the plugin's own consumer
  /// has seen these declarations already.
  bool isReleasing() const { return Releasing; }

  /// Whether code generation may already have emitted FD's body as it was
  /// parsed, so that rewriting it would change nothing.
  bool wasEmittedEarly(const clang::FunctionDecl *FD) const {
    return EmittedEarly.contains(FD->getCanonicalDecl());
  }

private:
  void holdBackFunction(clang::FunctionDecl *FD, IsManagedFn IsManaged);

  llvm::SmallVector<std::pair<clang::FunctionDecl *, clang::Stmt *>, 16> Held;
  llvm::SmallPtrSet<const clang::FunctionDecl *, 4> EmittedEarly;
  bool Releasing = false;
};

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_HELDDEFINITIONS_H
