//===-- ManagedFunctions.h - Which functions gostack manages ----*- C++ -*-===//
//
/// \file
/// A function is *managed* -- analysed, rewritten and stack-checked -- when
///  - it carries the marker, spelled [[gostack::managed]] (the plugin's own
///    attribute) or GOSTACK_MANAGED (the header's spelling, which expands to
///    [[clang::annotate("gostack.managed")]] and so compiles anywhere);
///  - it is a lambda defined inside a managed function;
///  - it is instantiated from a managed template;
///  - or `managed=all` is given and it is defined outside system headers
///    (the main file and the project's own headers, inline functions and
///    templates included; not what -isystem reaches, nor the runtime's own
///    namespace gostack).
///
/// Both spellings reach the consumer as the same AnnotateAttr (the parser's
/// only channel to it), and scan() records every marked declaration. When
/// the plugin rewrites, functions managed by the last three rules get the
/// annotation implicitly, so that code generation records every managed
/// function in @llvm.global.annotations, where the IR pass finds it. Under
/// `no-rewrite` the annotations the plugin made are removed again before
/// code generation sees them, so the IR is the IR of a build without us.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_MANAGEDFUNCTIONS_H
#define GOSTACK_PLUGIN_FRONTEND_MANAGEDFUNCTIONS_H

#include "frontend/ManagedAnnotation.h"
#include "frontend/PluginOptions.h"

#include "clang/AST/Decl.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class SourceManager;
} // namespace clang

namespace gostack {

/// Whether \p D may carry the marker: a function, member function,
/// constructor, or a lambda's call operator.
bool canBeManaged(const clang::Decl *D);

/// Attaches the marker to \p D.
void addManagedAnnotation(clang::Decl *D, clang::SourceRange Range);

/// Reports the marker, written as \p Spelling, on a declaration that cannot
/// carry it.
void reportMisplacedMarker(clang::DiagnosticsEngine &Diags,
                           clang::SourceLocation Loc, llvm::StringRef Spelling);

/// Answers "is this function managed?" for one translation unit and keeps the
/// annotations complete for code generation.
class ManagedFunctions {
public:
  ManagedFunctions(const PluginOptions &Options, const clang::SourceManager &SM)
      : Options(Options), SM(SM) {}

  bool isManaged(const clang::FunctionDecl *FD) const;

  /// Visits \p D and everything inside it: records the marked declarations,
  /// keeps the annotations as described above, and reports a marker written
  /// on anything that cannot be managed.
  void scan(clang::Decl *D);

private:
  friend class MarkerVisitor;
  bool isMarked(const clang::FunctionDecl *FD) const;
  void record(clang::FunctionDecl *FD);
  void checkMarkerPlacement(const clang::Decl *D);

  const PluginOptions &Options;
  const clang::SourceManager &SM;
  /// Declarations that carry the marker, in either spelling.
  llvm::SmallPtrSet<const clang::Decl *, 32> Marked;
};

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_MANAGEDFUNCTIONS_H
