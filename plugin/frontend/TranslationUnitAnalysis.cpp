//===-- TranslationUnitAnalysis.cpp - One entry for every tool ------------===//

#include "frontend/TranslationUnitAnalysis.h"
#include "frontend/ExternTemplateBodies.h"
#include "frontend/ThreadLocalWarnings.h"

#include "clang/Sema/Sema.h"

using namespace clang;

namespace gostack {

std::vector<escape::Verdict>
analyseManagedCode(Sema &S, escape::IsManagedFn IsManaged, bool Explain) {
  if (S.getDiagnostics().hasErrorOccurred())
    return {};
  return escape::analyseTranslationUnit(
      S.getASTContext(), IsManaged, Explain,
      [&](const FunctionDecl *FD) { instantiateExternTemplateBody(S, FD); });
}

std::vector<Finding> reportFindings(std::vector<escape::Verdict> Verdicts,
                                    const PluginOptions &Options,
                                    ASTContext &Ctx,
                                    escape::IsManagedFn IsManaged) {
  std::vector<Finding> Findings =
      collectFindings(std::move(Verdicts), Options, Ctx.getSourceManager());
  addThreadLocalFindings(
      Ctx, [&](const FunctionDecl *FD) { return IsManaged(FD); },
      Options.WarningsAsErrors, Findings);
  return Findings;
}

} // namespace gostack
