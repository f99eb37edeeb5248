//===-- RuntimeDecls.cpp - What the plugin uses of the runtime header -----===//

#include "rewrite/RuntimeDecls.h"

#include "clang/AST/ASTContext.h"

using namespace clang;

namespace gostack::rewrite {

static NamedDecl *lookupOne(DeclContext *DC, llvm::StringRef Name,
                            ASTContext &Ctx) {
  DeclContext::lookup_result Result = DC->lookup(&Ctx.Idents.get(Name));
  return Result.empty() ? nullptr : Result.front();
}

RuntimeDecls findRuntimeDecls(ASTContext &Ctx) {
  RuntimeDecls Found;
  TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
  for (NamedDecl *D :
       TU->lookup(Ctx.DeclarationNames.getCXXOperatorName(OO_New)))
    if (auto *FD = dyn_cast<FunctionDecl>(D);
        FD && FD->isReservedGlobalPlacementOperator())
      Found.PlacementNew = FD;
  auto *Gostack =
      dyn_cast_or_null<NamespaceDecl>(lookupOne(TU, "gostack", Ctx));
  auto *Detail =
      Gostack
          ? dyn_cast_or_null<NamespaceDecl>(lookupOne(Gostack, "detail", Ctx))
          : nullptr;
  if (!Detail)
    return Found;
  Found.GcAlloc =
      dyn_cast_or_null<FunctionDecl>(lookupOne(Detail, "gc_alloc", Ctx));
  if (Found.GcAlloc && Found.GcAlloc->getNumParams() != 4)
    Found.GcAlloc = nullptr;
  Found.PointerMap =
      dyn_cast_or_null<VarTemplateDecl>(lookupOne(Detail, "pointer_map", Ctx));
  Found.DestroyObject = dyn_cast_or_null<FunctionTemplateDecl>(
      lookupOne(Detail, "destroy_object", Ctx));
  return Found;
}

} // namespace gostack::rewrite
