//===-- ExternTemplateBodies.cpp - Bodies the library keeps elsewhere -----===//

#include "frontend/ExternTemplateBodies.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace gostack {

void instantiateExternTemplateBody(Sema &S, const FunctionDecl *FD) {
  auto *Function = const_cast<FunctionDecl *>(FD);
  if (Function->getTemplateSpecializationKind() !=
          TSK_ExplicitInstantiationDeclaration ||
      Function->isInvalidDecl())
    return;
  const FunctionDecl *Pattern = Function->getTemplateInstantiationPattern();
  const SourceManager &SM = S.getSourceManager();
  if (!Pattern || !Pattern->hasBody() ||
      !SM.isInSystemHeader(SM.getExpansionLoc(Pattern->getLocation())))
    return;
  SourceLocation Where = Function->getPointOfInstantiation();
  if (Where.isInvalid())
    Where = Function->getLocation();
  // Sema instantiates an explicit instantiation declaration's body only for
  // inline functions: let it take this one for an implicit instantiation,
  // then say again where its code lives.
  Function->setTemplateSpecializationKind(TSK_ImplicitInstantiation, Where);
  S.InstantiateFunctionDefinition(Where, Function, /*Recursive=*/true,
                                  /*DefinitionRequired=*/false,
                                  /*AtEndOfTU=*/true);
  Function->setTemplateSpecializationKind(TSK_ExplicitInstantiationDeclaration,
                                          Where);
}

} // namespace gostack
