//===-- frontend/ThreadLocalWarnings.cpp - thread_local across parks ------===//
//
// Each managed body is read once: the calls that can park and the uses of
// thread_local variables, each with the loops around it. A use is after a
// park when a parking call ends before it in the source, or when both are
// in one loop (the next iteration uses it after the call). Source order is
// the order of evaluation but for a few operators (in `tls = c.recv()` the
// right side comes first); those are not caught.
//
//===----------------------------------------------------------------------===//

#include "frontend/ThreadLocalWarnings.h"

#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace gostack {

/// The annotation GOSTACK_MAY_PARK puts on the runtime's parking functions.
static constexpr llvm::StringLiteral MayParkAnnotation = "gostack.may_park";

bool markedMayPark(const FunctionDecl *FD) {
  for (const FunctionDecl *D : FD->redecls())
    for (const auto *A : D->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation() == MayParkAnnotation)
        return true;
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
    if (Pattern != FD)
      return markedMayPark(Pattern);
  return false;
}

namespace {

using IsManagedFn = std::function<bool(const FunctionDecl *)>;
using Loops = llvm::SmallVector<const Stmt *, 4>;

/// The calls that can park and the thread_local uses of one body.
class BodyScanner : public RecursiveASTVisitor<BodyScanner> {
public:
  struct Park {
    const FunctionDecl *Callee;
    SourceLocation Begin, End;
    Loops Around;
  };
  struct Use {
    const DeclRefExpr *Ref;
    const VarDecl *Var;
    Loops Around;
  };

  explicit BodyScanner(const IsManagedFn &IsManaged) : IsManaged(IsManaged) {}

  std::vector<Park> Parks;
  std::vector<Use> Uses;

  // A lambda's body is a function of its own: only its captures run here.
  bool TraverseLambdaExpr(LambdaExpr *E) {
    for (Expr *Init : E->capture_inits())
      if (Init)
        TraverseStmt(Init);
    return true;
  }
  bool TraverseBlockExpr(BlockExpr *) { return true; }

  bool TraverseForStmt(ForStmt *S) { return inLoop(S); }
  bool TraverseWhileStmt(WhileStmt *S) { return inLoop(S); }
  bool TraverseDoStmt(DoStmt *S) { return inLoop(S); }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S) { return inLoop(S); }

  bool VisitCallExpr(CallExpr *E) {
    noteCall(E->getDirectCallee(), E->getBeginLoc(), E->getEndLoc());
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *E) {
    noteCall(E->getConstructor(), E->getBeginLoc(), E->getEndLoc());
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (const auto *Var = dyn_cast<VarDecl>(E->getDecl()))
      if (Var->getTLSKind() != VarDecl::TLS_None)
        Uses.push_back({E, Var, Around});
    return true;
  }

private:
  template <class LoopStmt> bool inLoop(LoopStmt *S) {
    Around.push_back(S);
    bool Continue = TraverseStmt(S->getBody());
    // The header (condition, increment, range) runs every iteration too.
    for (Stmt *Child : S->children())
      if (Child != S->getBody())
        Continue = Continue && TraverseStmt(Child);
    Around.pop_back();
    return Continue;
  }

  void noteCall(const FunctionDecl *Callee, SourceLocation Begin,
                SourceLocation End) {
    if (Callee && (markedMayPark(Callee) || IsManaged(Callee)))
      Parks.push_back({Callee, Begin, End, Around});
  }

  const IsManagedFn &IsManaged;
  Loops Around;
};

bool shareALoop(const Loops &A, const Loops &B) {
  for (const Stmt *Loop : A)
    if (llvm::is_contained(B, Loop))
      return true;
  return false;
}

/// Reports each thread_local of one managed body once.
void checkBody(const FunctionDecl *FD, const IsManagedFn &IsManaged,
               bool AsErrors, std::vector<Finding> &Findings) {
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  BodyScanner Scanner(IsManaged);
  Scanner.TraverseStmt(FD->getBody());
  llvm::DenseSet<const VarDecl *> Reported;
  for (const BodyScanner::Use &Use : Scanner.Uses) {
    SourceLocation Loc = Use.Ref->getLocation();
    if (Reported.contains(Use.Var) ||
        SM.isInSystemHeader(SM.getExpansionLoc(Loc)))
      continue;
    for (const BodyScanner::Park &Park : Scanner.Parks) {
      bool After =
          SM.isBeforeInTranslationUnit(Park.End, Use.Ref->getBeginLoc());
      if (!After && !shareALoop(Park.Around, Use.Around))
        continue;
      std::string Callee = Park.Callee->getQualifiedNameAsString();
      Findings.push_back(
          {Loc,
           AsErrors ? DiagnosticsEngine::Error : DiagnosticsEngine::Warning,
           "thread-local-across-park",
           "thread_local '" + Use.Var->getName().str() + "' is used after '" +
               Callee +
               "', which can park the goroutine: it may resume on another "
               "thread, so this is another thread's copy; keep per-goroutine "
               "state in gostack::goroutine_local<T>",
           {{Park.Begin, "'" + Callee +
                             "' can park the goroutine here (or, in a loop, "
                             "in an earlier iteration)"}},
           FD->getQualifiedNameAsString()});
      Reported.insert(Use.Var);
      break;
    }
  }
}

/// Finds the managed bodies: functions, instantiations, lambdas.
class ManagedBodies : public RecursiveASTVisitor<ManagedBodies> {
public:
  ManagedBodies(const IsManagedFn &IsManaged,
                std::vector<const FunctionDecl *> &Bodies)
      : IsManaged(IsManaged), Bodies(Bodies) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    note(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *E) {
    note(E->getCallOperator());
    return true;
  }

private:
  void note(const FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext() &&
        !FD->isInvalidDecl() && IsManaged(FD))
      Bodies.push_back(FD);
  }
  const IsManagedFn &IsManaged;
  std::vector<const FunctionDecl *> &Bodies;
};

} // namespace

void addThreadLocalFindings(ASTContext &Ctx, const IsManagedFn &IsManaged,
                            bool AsErrors, std::vector<Finding> &Findings) {
  std::vector<const FunctionDecl *> Bodies;
  ManagedBodies(IsManaged, Bodies).TraverseAST(Ctx);
  llvm::DenseSet<const FunctionDecl *> Seen;
  for (const FunctionDecl *FD : Bodies)
    if (Seen.insert(FD).second)
      checkBody(FD, IsManaged, AsErrors, Findings);
}

} // namespace gostack
