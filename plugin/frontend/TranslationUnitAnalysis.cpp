//===-- TranslationUnitAnalysis.cpp - One entry for every tool ------------===//

#include "frontend/TranslationUnitAnalysis.h"
#include "frontend/ExternTemplateBodies.h"

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

} // namespace gostack
