//===-- rewrite/PointerFreeAllocations.cpp - Unscanned C heap blocks ------===//

#include "rewrite/PointerFreeAllocations.h"
#include "rewrite/AstBuilder.h"
#include "rewrite/RuntimeDecls.h"
#include "typemap/PointerMaps.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"

using namespace clang;

namespace gostack::rewrite {
namespace {

/// The element type of an allocator's allocate(), or null: libstdc++'s
/// std::__new_allocator<T> (GCC 12 on) and __gnu_cxx::new_allocator<T>.
QualType allocatedElement(const FunctionDecl *FD) {
  const auto *Method = dyn_cast<CXXMethodDecl>(FD);
  if (!Method || !Method->getIdentifier() || Method->getName() != "allocate")
    return {};
  const auto *Allocator =
      dyn_cast<ClassTemplateSpecializationDecl>(Method->getParent());
  if (!Allocator || Allocator->getTemplateArgs().size() != 1 ||
      !(Allocator->getName() == "__new_allocator" ||
        Allocator->getName() == "new_allocator"))
    return {};
  const DeclContext *Namespace = Allocator->getDeclContext();
  if (!Namespace->isStdNamespace() &&
      !(isa<NamespaceDecl>(Namespace) &&
        cast<NamespaceDecl>(Namespace)->getName() == "__gnu_cxx"))
    return {};
  return Allocator->getTemplateArgs()[0].getAsType();
}

/// Whether a block of \p T can be left unscanned: complete, no word that
/// can hold a pointer, not bytes (raw storage may hold anything), and not
/// a pointer-sized integer -- a template argument has lost its typedef, and
/// std::uintptr_t, which holds tagged pointers, is one of those.
bool pointerFree(const ASTContext &Ctx, QualType T) {
  if (T.isNull() || T->isIncompleteType() || T->isDependentType() ||
      Ctx.getTypeSize(T) == 0)
    return false;
  QualType Base = Ctx.getBaseElementType(T).getUnqualifiedType();
  if (Base->isCharType() || Base->isStdByteType() || Base->isChar8Type() ||
      (Base->isIntegerType() &&
       Ctx.getTypeSize(Base) == Ctx.getTypeSize(Ctx.VoidPtrTy)))
    return false;
  return typemap::pointerWords(Ctx, T).none();
}

bool isGlobalOperatorNew(const FunctionDecl *Callee) {
  if (!Callee)
    return false;
  if (Callee->getBuiltinID() == Builtin::BI__builtin_operator_new)
    return true;
  return Callee->getOverloadedOperator() == OO_New &&
         Callee->isReplaceableGlobalAllocationFunction();
}

/// Points the operator new calls of one allocate() at the unscanned form
/// with the same parameters.
class NewCalls : public RecursiveASTVisitor<NewCalls> {
public:
  NewCalls(AstBuilder &Build, const RuntimeDecls &Runtime)
      : Build(Build), Runtime(Runtime) {}
  bool VisitCallExpr(CallExpr *E) {
    if (!isGlobalOperatorNew(E->getDirectCallee()))
      return true;
    FunctionDecl *Replacement = E->getNumArgs() == 1 ? Runtime.NewPointerFree
                                : E->getNumArgs() == 2
                                    ? Runtime.NewPointerFreeAligned
                                    : nullptr;
    if (Replacement &&
        (E->getNumArgs() == 1 ||
         Build.context().hasSameType(E->getArg(1)->getType(),
                                     Replacement->getParamDecl(1)->getType())))
      E->setCallee(Build.callee(Replacement, E->getBeginLoc()));
    return true;
  }

private:
  AstBuilder &Build;
  const RuntimeDecls &Runtime;
};

class Allocators : public RecursiveASTVisitor<Allocators> {
public:
  Allocators(ASTContext &Ctx, const RuntimeDecls &Runtime)
      : Ctx(Ctx), Build(Ctx), Runtime(Runtime) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
        pointerFree(Ctx, allocatedElement(FD)))
      NewCalls(Build, Runtime).TraverseStmt(FD->getBody());
    return true;
  }

private:
  ASTContext &Ctx;
  AstBuilder Build;
  const RuntimeDecls &Runtime;
};

} // namespace

void markPointerFreeAllocations(ASTContext &Ctx) {
  RuntimeDecls Runtime = findRuntimeDecls(Ctx);
  if (!Runtime.NewPointerFree)
    return;
  Allocators(Ctx, Runtime).TraverseAST(Ctx);
}

} // namespace gostack::rewrite
