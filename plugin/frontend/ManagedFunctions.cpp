//===-- ManagedFunctions.cpp - Which functions gostack manages ------------===//

#include "frontend/ManagedFunctions.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace gostack {

static bool isManagedAnnotation(const AnnotateAttr *A) {
  return A->getAnnotation() == ManagedAnnotation;
}

static bool hasManagedAnnotation(const Decl *D) {
  return llvm::any_of(D->specific_attrs<AnnotateAttr>(), isManagedAnnotation);
}

bool canBeManaged(const Decl *D) { return isa<FunctionDecl>(D); }

void addManagedAnnotation(Decl *D, SourceRange Range) {
  D->addAttr(AnnotateAttr::CreateImplicit(D->getASTContext(), ManagedAnnotation,
                                          nullptr, 0, Range));
}

void reportMisplacedMarker(DiagnosticsEngine &Diags, SourceLocation Loc,
                           llvm::StringRef Spelling) {
  unsigned ID = Diags.getCustomDiagID(
      DiagnosticsEngine::Error,
      "%0 only applies to functions, member functions, constructors and "
      "lambdas");
  Diags.Report(Loc, ID) << Spelling;
}

/// Whether \p FD belongs to the gostack runtime (namespace gostack): its
/// header is on a user include path, but the runtime is not the project's.
static bool isRuntimeFunction(const FunctionDecl *FD) {
  const NamespaceDecl *Outermost = nullptr;
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      Outermost = NS;
  return Outermost && Outermost->getName() == "gostack";
}

/// The function a lambda's call operator is defined in, if any.
static const FunctionDecl *enclosingFunction(const CXXMethodDecl *CallOp) {
  const DeclContext *DC = CallOp->getParent()->getParentFunctionOrMethod();
  return dyn_cast_or_null<FunctionDecl>(DC);
}

bool ManagedFunctions::isMarked(const FunctionDecl *FD) const {
  return llvm::any_of(FD->redecls(), [&](const FunctionDecl *Redecl) {
    return Marked.contains(Redecl) || hasManagedAnnotation(Redecl);
  });
}

bool ManagedFunctions::isManaged(const FunctionDecl *FD) const {
  if (isMarked(FD))
    return true;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern();
      Pattern && Pattern != FD)
    return isManaged(Pattern);
  if (const auto *Method = dyn_cast<CXXMethodDecl>(FD);
      Method && isLambdaCallOperator(Method))
    if (const FunctionDecl *Outer = enclosingFunction(Method);
        Outer && isManaged(Outer))
      return true;
  return Options.ManageAll && !FD->isImplicit() &&
         !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation())) &&
         !isRuntimeFunction(FD);
}

/// Removes the annotations the plugin made (not the user's GOSTACK_MANAGED).
static void dropImplicitAnnotations(Decl *D) {
  AttrVec &Attrs = D->getAttrs();
  llvm::erase_if(Attrs, [](const Attr *A) {
    const auto *Annotate = dyn_cast<AnnotateAttr>(A);
    return Annotate && Annotate->isImplicit() && isManagedAnnotation(Annotate);
  });
  if (Attrs.empty())
    D->dropAttrs();
}

void ManagedFunctions::record(FunctionDecl *FD) {
  if (hasManagedAnnotation(FD))
    Marked.insert(FD);
  if (!Options.Rewrite) {
    if (FD->hasAttrs())
      dropImplicitAnnotations(FD);
    return;
  }
  if (!hasManagedAnnotation(FD) && isManaged(FD))
    addManagedAnnotation(FD, FD->getSourceRange());
}

void ManagedFunctions::checkMarkerPlacement(const Decl *D) {
  DiagnosticsEngine &Diags = D->getASTContext().getDiagnostics();
  for (const AnnotateAttr *A : D->specific_attrs<AnnotateAttr>()) {
    if (!isManagedAnnotation(A) || A->isImplicit())
      continue;
    if (!canBeManaged(D))
      reportMisplacedMarker(Diags, A->getLocation(), "GOSTACK_MANAGED");
    else if (A->args_size() != 0)
      Diags.Report(A->getLocation(),
                   Diags.getCustomDiagID(DiagnosticsEngine::Error,
                                         "GOSTACK_MANAGED takes no arguments"));
  }
}

/// Walks a declaration, including function bodies (for lambdas and local
/// classes), on behalf of ManagedFunctions::scan.
class MarkerVisitor : public RecursiveASTVisitor<MarkerVisitor> {
public:
  explicit MarkerVisitor(ManagedFunctions &Functions) : Functions(Functions) {}

  bool VisitDecl(Decl *D) {
    if (D->hasAttrs())
      Functions.checkMarkerPlacement(D);
    return true;
  }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    Functions.record(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *Lambda) {
    Functions.record(Lambda->getCallOperator());
    return true;
  }

private:
  ManagedFunctions &Functions;
};

void ManagedFunctions::scan(Decl *D) { MarkerVisitor(*this).TraverseDecl(D); }

} // namespace gostack
