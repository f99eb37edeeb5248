//===-- HeldDefinitions.cpp - Code generation waits for the analysis ------===//

#include "frontend/HeldDefinitions.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace gostack {

void HeldDefinitions::holdBack(Decl *D, IsManagedFn IsManaged) {
  if (auto *FD = dyn_cast<FunctionDecl>(D))
    return holdBackFunction(FD, IsManaged);
  // The code generator emits what namespaces and linkage blocks contain when
  // it is handed the whole block.
  if (isa<NamespaceDecl, LinkageSpecDecl, ExportDecl>(D))
    for (Decl *Member : cast<DeclContext>(D)->decls())
      holdBack(Member, IsManaged);
}

void HeldDefinitions::holdBackFunction(FunctionDecl *FD,
                                       IsManagedFn IsManaged) {
  if (!FD->doesThisDeclarationHaveABody() || FD->isDependentContext() ||
      !IsManaged(FD))
    return;
  // Implicit instantiations and definitions nobody must emit are deferred
  // by the code generator itself.
  if (FD->getTemplateSpecializationKind() == TSK_ImplicitInstantiation ||
      !FD->getASTContext().DeclMustBeEmitted(FD))
    return;
  // Later constant evaluation may need a constexpr body: leave it alone.
  if (FD->isConstexpr()) {
    EmittedEarly.insert(FD->getCanonicalDecl());
    return;
  }
  Held.emplace_back(FD, FD->getBody());
  FD->setWillHaveBody(true);
  FD->setBody(nullptr);
}

void HeldDefinitions::restoreBodies() {
  for (auto [FD, Body] : Held) {
    FD->setBody(Body);
    FD->setWillHaveBody(false);
  }
}

void HeldDefinitions::release(ASTConsumer &AllConsumers) {
  Releasing = true;
  for (auto [FD, Body] : Held)
    AllConsumers.HandleTopLevelDecl(DeclGroupRef(FD));
  Releasing = false;
  Held.clear();
}

} // namespace gostack
