//===-- Stmt.cpp - Statements, declarations and loop depth ----------------===//
//
// Statements add no flows of their own, except declarations (a variable's
// initialiser flows into it) and returns (into the result). What they do add
// is loop depth: a variable declared inside a loop lives once per iteration,
// so storing its address into a variable declared outside the loop makes it
// escape (Solve.cpp, outlives). The function body is depth 1; each for,
// while, do and range-for body, and each label a later goto jumps back to,
// is one deeper.
//
//===----------------------------------------------------------------------===//

#include "escape/Callees.h"
#include "escape/Walker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <optional>

using namespace clang;

namespace gostack::escape {

/// CONTRACT section 5: an explicit local larger than this lives in the heap.
constexpr uint64_t MaxStackVarSize = 128 * 1024;

static uint64_t sizeOf(const ASTContext &Ctx, QualType T) {
  if (T->isIncompleteType() || T->isDependentType() ||
      !T->isConstantSizeType() || T->isReferenceType())
    return 0;
  return Ctx.getTypeSizeInChars(T).getQuantity();
}

Walker::Walker(ASTContext &Ctx, Graph &G, const SummaryMap &Summaries,
               const llvm::SmallPtrSetImpl<const FunctionDecl *> &Batch,
               llvm::function_ref<bool(const FunctionDecl *)> IsManaged)
    : Ctx(Ctx), G(G), Summaries(Summaries), Batch(Batch), IsManaged(IsManaged) {
}

const FunctionFrame *Walker::frameOf(const FunctionDecl *FD) const {
  auto It = Frames.find(FD);
  return It == Frames.end() ? nullptr : &It->second;
}

namespace {
/// Finds the pointer parameters a function does more with than read: assigns,
/// increments, takes the address of, binds to a non-const reference. What
/// such a parameter points to is not one object for the whole body.
class ReassignedParams : public RecursiveASTVisitor<ReassignedParams> {
public:
  explicit ReassignedParams(const FunctionDecl *FD) : FD(FD) {
    TraverseDecl(const_cast<FunctionDecl *>(FD));
    for (const DeclRefExpr *Ref : Uses)
      if (!Reads.contains(Ref))
        Found.insert(Ref->getDecl());
  }
  bool contains(const ParmVarDecl *P) const { return Found.contains(P); }

  bool VisitImplicitCastExpr(ImplicitCastExpr *Cast) {
    if (Cast->getCastKind() == CK_LValueToRValue)
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Cast->getSubExpr()->IgnoreParens()))
        Reads.insert(Ref);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl());
    if (P && P->getDeclContext() == FD && P->getType()->isPointerType())
      Uses.push_back(Ref);
    return true;
  }

private:
  const FunctionDecl *FD;
  llvm::SmallVector<const DeclRefExpr *, 8> Uses;
  llvm::SmallPtrSet<const DeclRefExpr *, 8> Reads;
  llvm::SmallPtrSet<const ValueDecl *, 4> Found;
};
} // namespace

/// Whether stores through a parameter of type \p T reach one object of the
/// caller's: a reference, or a pointer to an object.
static bool denotesObject(QualType T) {
  if (T->isReferenceType())
    return !T.getNonReferenceType()->isFunctionType();
  return T->isPointerType() && !T->getPointeeType()->isFunctionType();
}

void Walker::declareFunction(const FunctionDecl *FD) {
  FunctionFrame &Frame = Frames[FD];
  if (hasThisParameter(FD)) {
    Frame.This = G.newLocation(LocationKind::Parameter, FD, 1);
    Frame.Contents.push_back(
        isa<CXXConstructorDecl>(FD)
            ? nullptr
            : G.newLocation(LocationKind::ParamContent, FD, 1));
  }
  std::optional<ReassignedParams> Reassigned;
  for (const ParmVarDecl *P : FD->parameters()) {
    Location *L = G.newLocation(LocationKind::Parameter, FD, 1);
    L->Var = P;
    L->Size = sizeOf(Ctx, P->getType());
    Vars[P] = L;
    Frame.Params.push_back(L);
    Location *Content = nullptr;
    if (denotesObject(P->getType())) {
      if (!Reassigned)
        Reassigned.emplace(FD);
      if (!Reassigned->contains(P)) {
        Content = G.newLocation(LocationKind::ParamContent, FD, 1);
        Content->Var = P;
        ParamContents[P] = Content;
      }
    }
    Frame.Contents.push_back(Content);
  }
  Frame.Result = G.newLocation(LocationKind::Result, FD, 1);
}

namespace {
/// Finds labels that a later goto jumps back to: each makes a loop.
class LoopingLabelFinder : public RecursiveASTVisitor<LoopingLabelFinder> {
public:
  explicit LoopingLabelFinder(llvm::SmallPtrSetImpl<const LabelDecl *> &Out)
      : Looping(Out) {}
  bool VisitLabelStmt(LabelStmt *S) {
    Seen.insert(S->getDecl());
    return true;
  }
  bool VisitGotoStmt(GotoStmt *S) {
    if (Seen.count(S->getLabel()))
      Looping.insert(S->getLabel());
    return true;
  }

private:
  llvm::SmallPtrSet<const LabelDecl *, 4> Seen;
  llvm::SmallPtrSetImpl<const LabelDecl *> &Looping;
};
} // namespace

void Walker::markLoopingLabels(const Stmt *Body) {
  LoopingLabelFinder(LoopingLabels).TraverseStmt(const_cast<Stmt *>(Body));
}

void Walker::walkFunction(const FunctionDecl *FD) {
  // Lambdas are walked in place, inside their parent: save the parent's
  // state and restore it afterwards.
  const FunctionDecl *OuterFn = Fn;
  Location *OuterObject = ConstructedObject;
  int OuterDepth = LoopDepth;
  Fn = FD;
  LoopDepth = 1;
  const FunctionFrame &Frame = Frames[FD];
  ConstructedObject = isa<CXXConstructorDecl>(FD) ? Frame.Result : nullptr;
  markLoopingLabels(FD->getBody());

  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(FD))
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      const auto *Construct = dyn_cast<CXXConstructExpr>(Init->getInit());
      if (Construct &&
          (Init->isBaseInitializer() || Init->isDelegatingInitializer())) {
        // A base or delegated constructor builds this very object.
        construct(ConstructedObject, Construct,
                  [&](Hole K) { thisValue(K, Construct); });
        continue;
      }
      QualType T = Init->isAnyMemberInitializer()
                       ? Init->getAnyMember()->getType()
                       : Init->getInit()->getType();
      initialize({ConstructedObject, 0, nullptr}, Init->getInit(), T);
    }

  stmt(FD->getBody());

  if (const auto *Dtor = dyn_cast<CXXDestructorDecl>(FD)) {
    const CXXRecordDecl *Class = Dtor->getParent();
    auto DestroyPart = [&](QualType T) {
      if (const CXXDestructorDecl *PartDtor = destructorFor(T))
        callFunction(G.discardHole(), PartDtor, nullptr,
                     [&](Hole K) { thisValue(K, nullptr); }, thisObject(), {});
    };
    for (const FieldDecl *Field : Class->fields())
      DestroyPart(Field->getType());
    for (const CXXBaseSpecifier &Base : Class->bases())
      DestroyPart(Base.getType());
  }

  // A coroutine's frame lives in the heap: nothing in it stays on the stack.
  if (isa_and_nonnull<CoroutineBodyStmt>(FD->getBody()))
    for (Location *L : G.all())
      if (L->Fn == FD && L->Kind != LocationKind::Result)
        G.forceEscape(L, "coroutine frame");

  Fn = OuterFn;
  ConstructedObject = OuterObject;
  LoopDepth = OuterDepth;
}

const FunctionFrame *Walker::ownerFrame() const {
  // Inside a lambda, `this` is the captured `this` of the enclosing method.
  const FunctionDecl *Owner = Fn;
  while (const ClosureFrame *Closure = G.closureOf(Owner))
    Owner = Closure->Parent;
  return frameOf(Owner);
}

Location *Walker::thisObject() const {
  if (ConstructedObject)
    return ConstructedObject;
  const FunctionFrame *Frame = ownerFrame();
  return Frame && Frame->This ? Frame->Contents.front() : nullptr;
}

Location *Walker::paramContent(const ValueDecl *D) const {
  return ParamContents.lookup(D);
}

void Walker::thisValue(Hole K, const Expr *Where) {
  const FunctionFrame *Frame = ownerFrame();
  if (!Frame || !Frame->This)
    return;
  G.flow(Where ? G.note(K, Where, Where->getBeginLoc(), "this") : K,
         Frame->This);
}

void Walker::declare(const VarDecl *VD) {
  if (VD->hasGlobalStorage()) {
    // Static and thread_local variables live as long as the heap.
    Vars[VD] = G.heap();
    if (const Expr *Init = VD->getInit())
      initialize(G.note(G.heapHole(), Init, VD->getLocation(), "global"), Init,
                 VD->getType());
    return;
  }
  Location *L = G.newLocation(LocationKind::Variable, Fn, LoopDepth);
  L->Var = VD;
  L->Size = sizeOf(Ctx, VD->getType());
  Vars[VD] = L;
  if (L->Size > MaxStackVarSize)
    G.forceEscape(L, "too large for stack");
  if (const Expr *Init = VD->getInit())
    initialize({L, 0, nullptr}, Init, VD->getType());
  destroy(L, VD->getType(), nullptr);
  if (const auto *Decomposition = dyn_cast<DecompositionDecl>(VD))
    for (const BindingDecl *Binding : Decomposition->bindings())
      if (const VarDecl *Holding = Binding->getHoldingVar())
        declare(Holding);
}

void Walker::compound(const CompoundStmt *S) {
  int Depth = LoopDepth; // a looping label deepens the rest of its block
  for (const Stmt *Child : S->body())
    stmt(Child);
  LoopDepth = Depth;
}

void Walker::loop(llvm::ArrayRef<const Stmt *> Parts) {
  ++LoopDepth;
  for (const Stmt *Part : Parts)
    stmt(Part);
  --LoopDepth;
}

void Walker::unmodeledStmt(const Stmt *S, llvm::StringRef Why) {
  for (const Stmt *Child : S->children()) {
    if (const auto *E = dyn_cast_or_null<Expr>(Child))
      value(G.note(G.heapHole(), E, E->getBeginLoc(), Why), E);
    else
      stmt(Child);
  }
}

void Walker::stmt(const Stmt *S) {
  if (!S)
    return;
  if (const auto *E = dyn_cast<Expr>(S))
    return discard(E);
  if (const auto *Block = dyn_cast<CompoundStmt>(S))
    return compound(Block);
  if (const auto *Decls = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : Decls->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D))
        declare(VD);
    return;
  }
  if (const auto *Return = dyn_cast<ReturnStmt>(S)) {
    const Expr *Value = Return->getRetValue();
    const FunctionFrame *Frame = frameOf(Fn);
    if (Value && Frame)
      initialize(G.note({Frame->Result, 0, nullptr}, Return,
                        Return->getBeginLoc(), "return"),
                 Value, Fn->getReturnType());
    else if (Value)
      discard(Value);
    return;
  }
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    stmt(If->getInit());
    stmt(If->getConditionVariableDeclStmt());
    stmt(If->getCond());
    stmt(If->getThen());
    return stmt(If->getElse());
  }
  if (const auto *For = dyn_cast<ForStmt>(S)) {
    stmt(For->getInit());
    return loop({For->getConditionVariableDeclStmt(), For->getCond(),
                 For->getInc(), For->getBody()});
  }
  if (const auto *While = dyn_cast<WhileStmt>(S))
    return loop({While->getConditionVariableDeclStmt(), While->getCond(),
                 While->getBody()});
  if (const auto *Do = dyn_cast<DoStmt>(S))
    return loop({Do->getBody(), Do->getCond()});
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(S)) {
    // The range is evaluated once, outside the loop.
    stmt(Range->getInit());
    stmt(Range->getRangeStmt());
    stmt(Range->getBeginStmt());
    stmt(Range->getEndStmt());
    return loop({Range->getCond(), Range->getInc(), Range->getLoopVarStmt(),
                 Range->getBody()});
  }
  if (const auto *Switch = dyn_cast<SwitchStmt>(S)) {
    stmt(Switch->getInit());
    stmt(Switch->getConditionVariableDeclStmt());
    stmt(Switch->getCond());
    return stmt(Switch->getBody());
  }
  if (const auto *Case = dyn_cast<SwitchCase>(S))
    return stmt(Case->getSubStmt());
  if (const auto *Label = dyn_cast<LabelStmt>(S)) {
    if (LoopingLabels.count(Label->getDecl()))
      ++LoopDepth; // until the end of the enclosing block
    return stmt(Label->getSubStmt());
  }
  if (const auto *Attributed = dyn_cast<AttributedStmt>(S))
    return stmt(Attributed->getSubStmt());
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    stmt(Try->getTryBlock());
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I) {
      const CXXCatchStmt *Handler = Try->getHandler(I);
      if (const VarDecl *Caught = Handler->getExceptionDecl())
        declare(Caught); // the exception object comes from the heap
      stmt(Handler->getHandlerBlock());
    }
    return;
  }
  if (const auto *Coroutine = dyn_cast<CoroutineBodyStmt>(S))
    return stmt(Coroutine->getBody());
  if (isa<NullStmt, BreakStmt, ContinueStmt, GotoStmt>(S))
    return;
  if (isa<AsmStmt>(S))
    return unmodeledStmt(S, "inline assembly");
  if (isa<CoreturnStmt>(S))
    return unmodeledStmt(S, "coroutine");
  unmodeledStmt(S, "statement not modelled");
}

} // namespace gostack::escape
