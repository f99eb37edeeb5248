//===-- TranslationUnitAnalysis.h - One entry for every tool ----*- C++ -*-===//
//
/// \file
/// The escape analysis of a parsed translation unit, run the same way by
/// the plugin, gostack-escape and the clang-tidy check, so that they give
/// the same verdicts: nothing after a compile error (the AST may hold
/// recovery nodes), and the bodies of the standard library's extern
/// templates instantiated for the analysis to read (ExternTemplateBodies.h);
/// and they report the same findings.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_TRANSLATIONUNITANALYSIS_H
#define GOSTACK_PLUGIN_FRONTEND_TRANSLATIONUNITANALYSIS_H

#include "escape/Escape.h"
#include "frontend/EscapeReport.h"
#include "frontend/PluginOptions.h"

namespace clang {
class Sema;
} // namespace clang

namespace gostack {

/// Analyses the managed functions of \p S's translation unit; records the
/// m=2 flow when \p Explain is set.
std::vector<escape::Verdict>
analyseManagedCode(clang::Sema &S, escape::IsManagedFn IsManaged, bool Explain);

/// Everything gostack reports about the translation unit: the findings of
/// \p Verdicts, then the thread_local warnings (ThreadLocalWarnings.h).
std::vector<Finding> reportFindings(std::vector<escape::Verdict> Verdicts,
                                    const PluginOptions &Options,
                                    clang::ASTContext &Ctx,
                                    escape::IsManagedFn IsManaged);

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_TRANSLATIONUNITANALYSIS_H
