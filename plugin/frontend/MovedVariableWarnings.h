//===-- MovedVariableWarnings.h - Held warnings -----------------*- C++ -*-===//
//
/// \file
/// Clang warns "address of stack memory associated with local variable 'n'
/// returned" (-Wreturn-stack-address) while it parses, before the analysis
/// has run. In managed code the plugin moves exactly such variables to the
/// heap, and the warning would mislead. So warnings of that kind inside
/// managed functions are held back until the analysis is done; those about a
/// variable the plugin moves are dropped, the others printed as they were.
///
/// Under -Werror the warning is an error the moment Clang reports it, and a
/// plugin cannot take an error back, so it is printed as it is: build
/// managed code with -Wno-error=return-stack-address.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_MOVEDVARIABLEWARNINGS_H
#define GOSTACK_PLUGIN_FRONTEND_MOVEDVARIABLEWARNINGS_H

#include "escape/Escape.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/DenseSet.h"

#include <functional>
#include <memory>
#include <vector>

namespace gostack {

/// Where the variables \p Verdicts move to the heap are declared (not those
/// the rewrite found it cannot move).
llvm::DenseSet<clang::SourceLocation>
movedVariables(const std::vector<escape::Verdict> &Verdicts);

class MovedVariableWarnings : public clang::DiagnosticConsumer {
public:
  using IsManagedFn = std::function<bool(const clang::FunctionDecl *)>;

  /// Puts the filter in front of \p Diags' consumer.
  static MovedVariableWarnings &install(clang::DiagnosticsEngine &Diags,
                                        IsManagedFn IsManaged);

  /// Prints the held warnings except those about a variable declared at one
  /// of \p Moved, and stops holding.
  void release(const llvm::DenseSet<clang::SourceLocation> &Moved);

  /// The plugin's consumer is gone: hold nothing more.
  void detach();

  void BeginSourceFile(const clang::LangOptions &LangOpts,
                       const clang::Preprocessor *PP) override;
  void EndSourceFile() override;
  void finish() override;
  void clear() override;
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override;

private:
  MovedVariableWarnings(clang::DiagnosticsEngine &Diags,
                        clang::DiagnosticConsumer &Target,
                        std::unique_ptr<clang::DiagnosticConsumer> Owned,
                        IsManagedFn IsManaged)
      : Diags(Diags), Target(Target), Owned(std::move(Owned)),
        IsManaged(std::move(IsManaged)) {}

  void takeCounts();
  /// The local variable or parameter a warning to hold is about, or null.
  const clang::VarDecl *heldVariable(clang::DiagnosticsEngine::Level Level,
                                     const clang::Diagnostic &Info) const;

  clang::DiagnosticsEngine &Diags;
  clang::DiagnosticConsumer &Target;
  std::unique_ptr<clang::DiagnosticConsumer> Owned;
  IsManagedFn IsManaged; ///< empty once nothing is held any more
  /// A held warning about the variable declared at VarLoc, and its notes.
  struct HeldWarning {
    clang::SourceLocation VarLoc;
    std::vector<clang::StoredDiagnostic> Diagnostics;
  };
  std::vector<HeldWarning> Held;
  bool HoldingNotes = false; ///< the last diagnostic was held
  bool Releasing = false;
};

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_MOVEDVARIABLEWARNINGS_H
