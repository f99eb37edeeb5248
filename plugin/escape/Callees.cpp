//===-- Callees.cpp - Which function a call reaches -----------------------===//

#include "escape/Callees.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace gostack::escape {

const FunctionDecl *staticCallee(const CallExpr *E) {
  const FunctionDecl *Callee = E->getDirectCallee();
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Callee);
  if (!Method || !Method->isVirtual())
    return Callee;
  // A qualified call (Base::f()) or a final overrider is not dispatched.
  const Expr *Object = nullptr;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    if (const auto *ME =
            dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens());
        ME && ME->hasQualifier())
      return Method;
    Object = Member->getImplicitObjectArgument();
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    Object = Op->getArg(0);
  }
  if (!Object)
    return nullptr;
  return Method->getDevirtualizedMethod(Object, /*IsAppleKext=*/false);
}

const FunctionDecl *analysableDefinition(const FunctionDecl *FD) {
  const FunctionDecl *Definition = nullptr;
  if (!FD || !FD->hasBody(Definition) || !Definition->getBody())
    return nullptr;
  return Definition;
}

const CXXDestructorDecl *destructorFor(QualType T) {
  const auto *Record = T->getBaseElementTypeUnsafe()->getAsCXXRecordDecl();
  if (!Record || !Record->hasDefinition() || Record->hasTrivialDestructor())
    return nullptr;
  return Record->getDestructor();
}

static bool isGostackNamespace(const DeclContext *DC) {
  const auto *NS = dyn_cast_or_null<NamespaceDecl>(DC);
  return NS && NS->getName() == "gostack" &&
         NS->getParent()->getRedeclContext()->isTranslationUnit();
}

RuntimeCall classifyRuntimeCall(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier())
    return RuntimeCall::None;
  if (const auto *Method = dyn_cast<CXXMethodDecl>(FD)) {
    const CXXRecordDecl *Class = Method->getParent();
    if (Method->getName() == "send" && Class->getName() == "chan" &&
        isGostackNamespace(Class->getDeclContext()))
      return RuntimeCall::ChanSend;
    return RuntimeCall::None;
  }
  if (!isGostackNamespace(FD->getDeclContext()))
    return RuntimeCall::None;
  if (FD->getName() == "go_new")
    return RuntimeCall::GoNew;
  if (FD->getName() == "go")
    return RuntimeCall::Go;
  return RuntimeCall::None;
}

namespace {

class PlacementFinder : public RecursiveASTVisitor<PlacementFinder> {
public:
  bool VisitCXXNewExpr(CXXNewExpr *E) {
    Found = E;
    return false;
  }
  const CXXNewExpr *Found = nullptr;
};

/// Visits what forEachCallee promises, over one function and its lambdas.
class CalleeCollector : public RecursiveASTVisitor<CalleeCollector> {
public:
  explicit CalleeCollector(llvm::function_ref<void(const FunctionDecl *)> Visit)
      : Visit(Visit) {}

  bool shouldVisitImplicitCode() const { return true; }

  bool VisitCallExpr(CallExpr *E) {
    const FunctionDecl *Callee = staticCallee(E);
    if (!Callee)
      return true;
    Visit(Callee);
    if (classifyRuntimeCall(Callee) == RuntimeCall::GoNew)
      visitGoNewConstructor(Callee);
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    Visit(E->getConstructor());
    return true;
  }
  bool VisitCXXDeleteExpr(CXXDeleteExpr *E) {
    visitDestructor(E->getDestroyedType());
    return true;
  }
  bool VisitCXXBindTemporaryExpr(CXXBindTemporaryExpr *E) {
    visitDestructor(E->getType());
    return true;
  }
  bool VisitVarDecl(VarDecl *VD) {
    if (VD->hasLocalStorage() && !isa<ParmVarDecl>(VD))
      visitDestructor(VD->getType());
    // A tuple-like structured binding initialises a hidden variable per
    // name, with a call to get<N>().
    if (const auto *Decomposition = dyn_cast<DecompositionDecl>(VD))
      for (const BindingDecl *Binding : Decomposition->bindings())
        if (VarDecl *Holding = Binding->getHoldingVar())
          TraverseDecl(Holding);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *E) {
    // The body of a generic lambda is walked once per instantiation.
    if (const FunctionTemplateDecl *Template =
            E->getCallOperator()->getDescribedFunctionTemplate())
      for (const FunctionDecl *Specialization : Template->specializations())
        if (Specialization->getBody())
          TraverseStmt(Specialization->getBody());
    return true;
  }

  void visitMembersDestroyedBy(const CXXDestructorDecl *Dtor) {
    const CXXRecordDecl *Class = Dtor->getParent();
    for (const FieldDecl *Field : Class->fields())
      visitDestructor(Field->getType());
    for (const CXXBaseSpecifier &Base : Class->bases())
      visitDestructor(Base.getType());
  }

private:
  void visitDestructor(QualType T) {
    if (const CXXDestructorDecl *Dtor = destructorFor(T))
      Visit(Dtor);
  }
  void visitGoNewConstructor(const FunctionDecl *GoNew) {
    if (const CXXNewExpr *New = goNewPlacement(GoNew))
      if (const CXXConstructExpr *Construct = New->getConstructExpr())
        Visit(Construct->getConstructor());
  }

  llvm::function_ref<void(const FunctionDecl *)> Visit;
};

} // namespace

namespace {

/// Finds go_new's call of gostack::detail::construct.
class ConstructCallFinder : public RecursiveASTVisitor<ConstructCallFinder> {
public:
  bool VisitCallExpr(CallExpr *E) {
    const FunctionDecl *Callee = E->getDirectCallee();
    if (!Callee || !Callee->getIdentifier() || Callee->getName() != "construct")
      return true;
    const auto *Detail = dyn_cast<NamespaceDecl>(Callee->getDeclContext());
    if (!Detail || Detail->getName() != "detail" ||
        !isGostackNamespace(Detail->getParent()))
      return true;
    Found = Callee;
    return false;
  }
  const FunctionDecl *Found = nullptr;
};

} // namespace

const FunctionDecl *goNewConstruct(const FunctionDecl *GoNew) {
  const FunctionDecl *Definition = analysableDefinition(GoNew);
  if (!Definition)
    return nullptr;
  ConstructCallFinder Finder;
  Finder.TraverseStmt(Definition->getBody());
  return Finder.Found;
}

const CXXNewExpr *goNewPlacement(const FunctionDecl *GoNew) {
  const FunctionDecl *Construct = analysableDefinition(goNewConstruct(GoNew));
  if (!Construct)
    return nullptr;
  PlacementFinder Finder;
  Finder.TraverseStmt(Construct->getBody());
  return Finder.Found;
}

void forEachCallee(const FunctionDecl *FD,
                   llvm::function_ref<void(const FunctionDecl *)> Visit) {
  CalleeCollector Collector(Visit);
  Collector.TraverseDecl(const_cast<FunctionDecl *>(FD));
  if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(FD))
    Collector.visitMembersDestroyedBy(Dtor);
}

} // namespace gostack::escape
