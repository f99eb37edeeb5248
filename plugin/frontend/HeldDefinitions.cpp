//===-- HeldDefinitions.cpp - Code generation waits for the analysis ------===//

#include "frontend/HeldDefinitions.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/DenseMap.h"

#include <mutex>

using namespace clang;

namespace gostack {

// The two consumers of one compile find each other through this table: an
// entry lives exactly as long as its translation unit's consumer.
static std::mutex TableLock;
static llvm::DenseMap<const CompilerInstance *, HeldDefinitions *> Table;

HeldDefinitions::Registration
HeldDefinitions::registerFor(const CompilerInstance &CI) {
  std::lock_guard<std::mutex> Guard(TableLock);
  Table[&CI] = this;
  return Registration(&CI);
}

HeldDefinitions::Registration::~Registration() {
  if (!CI)
    return;
  std::lock_guard<std::mutex> Guard(TableLock);
  Table.erase(CI);
}

namespace {
class Restorer : public ASTConsumer {
public:
  explicit Restorer(HeldDefinitions *Held) : Held(Held) {}
  // The code generator has handled the group (and emitted the inline
  // member functions it deferred to the group's end).
  bool HandleTopLevelDecl(DeclGroupRef) override {
    if (Held)
      Held->restoreBodies();
    return true;
  }

private:
  HeldDefinitions *Held;
};
} // namespace

std::unique_ptr<ASTConsumer> createRestorer(const CompilerInstance &CI) {
  std::lock_guard<std::mutex> Guard(TableLock);
  return std::make_unique<Restorer>(Table.lookup(&CI));
}

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
  Held.push_back(FD);
  Detached.emplace_back(FD, FD->getBody());
  FD->setWillHaveBody(true);
  FD->setBody(nullptr);
}

void HeldDefinitions::restoreBodies() {
  for (auto [FD, Body] : Detached) {
    FD->setBody(Body);
    FD->setWillHaveBody(false);
  }
  Detached.clear();
}

void HeldDefinitions::release(ASTConsumer &AllConsumers) {
  restoreBodies();
  Releasing = true;
  for (FunctionDecl *FD : Held)
    AllConsumers.HandleTopLevelDecl(DeclGroupRef(FD));
  Releasing = false;
  Held.clear();
}

} // namespace gostack
