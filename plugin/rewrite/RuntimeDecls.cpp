//===-- RuntimeDecls.cpp - What the plugin uses of the runtime header -----===//

#include "rewrite/RuntimeDecls.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace gostack::rewrite {

static NamedDecl *lookupOne(DeclContext *DC, llvm::StringRef Name,
                            ASTContext &Ctx) {
  DeclContext::lookup_result Result = DC->lookup(&Ctx.Idents.get(Name));
  return Result.empty() ? nullptr : Result.front();
}

/// lifetime_owner and the three members the rewrite calls, all or none.
static void findLifetimeOwner(NamespaceDecl *Detail, ASTContext &Ctx,
                              RuntimeDecls &Found) {
  auto *Owner =
      dyn_cast_or_null<CXXRecordDecl>(lookupOne(Detail, "lifetime_owner", Ctx));
  if (!Owner || !Owner->hasDefinition())
    return;
  Owner = Owner->getDefinition();
  CXXConstructorDecl *Init = nullptr;
  for (CXXConstructorDecl *Ctor : Owner->ctors())
    if (Ctor->isDefaultConstructor())
      Init = Ctor;
  auto *Adopt = dyn_cast_or_null<CXXMethodDecl>(lookupOne(Owner, "adopt", Ctx));
  if (!Init || !Owner->getDestructor() || !Adopt || Adopt->getNumParams() != 2)
    return;
  Found.LifetimeOwner = Owner;
  Found.LifetimeOwnerInit = Init;
  Found.LifetimeOwnerEnd = Owner->getDestructor();
  Found.Adopt = Adopt;
}

RuntimeDecls findRuntimeDecls(ASTContext &Ctx) {
  RuntimeDecls Found;
  TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
  for (auto [Operator, Slot] :
       {std::pair(OO_New, &Found.PlacementNew),
        std::pair(OO_Array_New, &Found.PlacementArrayNew)})
    for (NamedDecl *D :
         TU->lookup(Ctx.DeclarationNames.getCXXOperatorName(Operator)))
      if (auto *FD = dyn_cast<FunctionDecl>(D);
          FD && FD->isReservedGlobalPlacementOperator())
        *Slot = FD;
  auto *Gostack =
      dyn_cast_or_null<NamespaceDecl>(lookupOne(TU, "gostack", Ctx));
  auto *Detail =
      Gostack
          ? dyn_cast_or_null<NamespaceDecl>(lookupOne(Gostack, "detail", Ctx))
          : nullptr;
  if (!Detail)
    return Found;
  Found.GcAllocFrame =
      dyn_cast_or_null<FunctionDecl>(lookupOne(Detail, "gc_alloc_frame", Ctx));
  if (Found.GcAllocFrame && Found.GcAllocFrame->getNumParams() != 2)
    Found.GcAllocFrame = nullptr;
  Found.CheckLentAddress = dyn_cast_or_null<FunctionDecl>(
      lookupOne(Detail, "check_lent_address", Ctx));
  if (Found.CheckLentAddress && Found.CheckLentAddress->getNumParams() != 3)
    Found.CheckLentAddress = nullptr;
  for (NamedDecl *D :
       Detail->lookup(&Ctx.Idents.get("operator_new_pointer_free"))) {
    auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && FD->getNumParams() == 1)
      Found.NewPointerFree = FD;
    else if (FD && FD->getNumParams() == 2)
      Found.NewPointerFreeAligned = FD;
  }
  Found.PointerMap =
      dyn_cast_or_null<VarTemplateDecl>(lookupOne(Detail, "pointer_map", Ctx));
  Found.DestroyObject = dyn_cast_or_null<FunctionTemplateDecl>(
      lookupOne(Detail, "destroy_object", Ctx));
  findLifetimeOwner(Detail, Ctx, Found);
  return Found;
}

} // namespace gostack::rewrite
