//===-- HeldDefinitions.h - Codegen waits for the analysis ------*- C++ -*-===//
//
/// \file
/// The escape analysis needs the whole translation unit (a callee may be
/// defined after its caller), but Clang's code generator emits a function
/// that must be emitted -- a non-inline definition -- as soon as the parser
/// hands it over, long before the end of the translation unit. Inline
/// functions, template instantiations and lambdas are deferred to the end
/// anyway.
///
/// So the plugin holds such managed definitions back, without Sema ever
/// noticing: the consumer that runs just before the code generator detaches
/// the body (the declaration stays a definition through willHaveBody), the
/// code generator sees a declaration and skips it, and the consumer that runs
/// just after the code generator puts the body back. Sema always sees every
/// body: vtables of classes whose key function is held are still defined
/// here (Sema::DefineUsedVTables asks for the key function's body), and
/// constant evaluation still finds constexpr bodies. At the end of the
/// translation unit the held definitions are analysed and rewritten, then
/// handed to every consumer again, and the code generator emits them from the
/// rewritten AST.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_HELDDEFINITIONS_H
#define GOSTACK_PLUGIN_FRONTEND_HELDDEFINITIONS_H

#include "clang/AST/Decl.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTConsumer;
class CompilerInstance;
} // namespace clang

namespace gostack {

class HeldDefinitions {
public:
  using IsManagedFn = llvm::function_ref<bool(const clang::FunctionDecl *)>;

  /// Hides from the code generator, until restoreBodies(), the managed
  /// definitions in \p D (a top-level declaration or an inline member
  /// function definition) that it would emit now.
  void holdBack(clang::Decl *D, IsManagedFn IsManaged);

  /// Puts back the bodies holdBack() detached; called once the code
  /// generator has seen their declarations.
  void restoreBodies();

  /// Hands the held definitions to \p AllConsumers (the compiler's
  /// multiplexing consumer, code generation included) to be emitted now.
  void release(clang::ASTConsumer &AllConsumers);

  /// True while release() feeds the consumers: the plugin's own consumer
  /// has seen these declarations already.
  bool isReleasing() const { return Releasing; }

  /// Makes this object the one the consumer after the code generator (see
  /// createRestorer) finds for \p CI, until the returned registration ends.
  class Registration;
  Registration registerFor(const clang::CompilerInstance &CI);

private:
  void holdBackFunction(clang::FunctionDecl *FD, IsManagedFn IsManaged);

  /// Every definition held back, to release at the end.
  llvm::SmallVector<clang::FunctionDecl *, 16> Held;
  /// Bodies detached since the code generator last saw a declaration group.
  llvm::SmallVector<std::pair<clang::FunctionDecl *, clang::Stmt *>, 4>
      Detached;
  bool Releasing = false;
};

class HeldDefinitions::Registration {
public:
  explicit Registration(const clang::CompilerInstance *CI) : CI(CI) {}
  Registration(Registration &&Other) : CI(Other.CI) { Other.CI = nullptr; }
  Registration(const Registration &) = delete;
  ~Registration();

private:
  const clang::CompilerInstance *CI;
};

/// The consumer to run just after the code generator: it puts back the bodies
/// held for \p CI as soon as the code generator has seen them. A consumer
/// that does nothing when nothing is held for \p CI (under no-rewrite).
std::unique_ptr<clang::ASTConsumer>
createRestorer(const clang::CompilerInstance &CI);

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_HELDDEFINITIONS_H
