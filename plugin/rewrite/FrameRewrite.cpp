//===-- FrameRewrite.cpp - Make the code do what the analysis says --------===//

#include "rewrite/FrameRewrite.h"

#include "escape/Callees.h"
#include "rewrite/AstBuilder.h"
#include "rewrite/RuntimeDecls.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Sema/Initialization.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <memory>
#include <optional>

using namespace clang;
using gostack::escape::Verdict;

namespace gostack::rewrite {
namespace {

/// Why a rewrite could not be done, or nothing.
using Failure = std::optional<std::string>;

/// Where each node of a function's own code hangs (lambda bodies are their
/// call operators' code, so only their captures are indexed), and its place
/// in post-order: replacing nodes innermost first keeps every recorded
/// parent pointer inside the tree.
class SlotIndex {
public:
  explicit SlotIndex(Stmt *Body) {
    if (!Body)
      return;
    // Iterative post-order walk: a node is numbered after its children.
    llvm::SmallVector<std::pair<Stmt **, bool>, 64> Work{{&Body, false}};
    while (!Work.empty()) {
      auto [Slot, Expanded] = Work.pop_back_val();
      Stmt *S = *Slot;
      if (Expanded) {
        Slots[S] = {Slot, Next++};
        continue;
      }
      Work.push_back({Slot, true});
      if (auto *Lambda = dyn_cast<LambdaExpr>(S)) {
        for (Expr *&Init : Lambda->capture_inits())
          if (Init)
            Work.push_back({reinterpret_cast<Stmt **>(&Init), false});
        continue;
      }
      for (Stmt *&Child : S->children())
        if (Child)
          Work.push_back({&Child, false});
    }
  }

  /// The parent's pointer to S, or null when S is not in the function's own
  /// code.
  Stmt **slotOf(const Stmt *S) const {
    auto It = Slots.find(S);
    return It == Slots.end() ? nullptr : It->second.first;
  }
  unsigned postOrder(const Stmt *S) const {
    auto It = Slots.find(S);
    return It == Slots.end() ? 0 : It->second.second;
  }

private:
  llvm::DenseMap<const Stmt *, std::pair<Stmt **, unsigned>> Slots;
  unsigned Next = 1;
};

/// Makes uses of a variable refer to another one. A parameter's uses in its
/// function's own code (lambda captures included, lambda bodies excluded:
/// they use the capture) go to its heap copy. A moved constant's uses that
/// are not odr-uses -- its value read as a constant, possibly in a lambda
/// that does not capture it -- go to an unmoved twin, so they stay
/// constants.
class UseRedirector : public RecursiveASTVisitor<UseRedirector> {
public:
  enum UsesKind { OwnCodeUses, ConstantUses };

  UseRedirector(const VarDecl *From, VarDecl *To, UsesKind Uses)
      : From(From), To(To), Uses(Uses) {}

  bool shouldVisitImplicitCode() const { return true; }
  bool TraverseLambdaExpr(LambdaExpr *Lambda) {
    if (Uses == ConstantUses)
      return RecursiveASTVisitor::TraverseLambdaExpr(Lambda);
    for (Expr *Init : Lambda->capture_inits())
      TraverseStmt(Init);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    bool IsConstantUse = Ref->isNonOdrUse() == NOUR_Constant;
    if (Ref->getDecl() == From && (Uses == OwnCodeUses || IsConstantUse))
      Ref->setDecl(To);
    return true;
  }

private:
  const VarDecl *From;
  VarDecl *To;
  UsesKind Uses;
};

/// Finds whether a jump can land after a variable's declaration without
/// running it: C++ allows that for a variable without initialisation, but its
/// heap object would never be allocated. Such a jump lands on a case label of
/// a switch around the declaration, or on a label that a goto from outside
/// the variable's scope (or a label address) reaches.
class BypassFinder {
public:
  BypassFinder(const Stmt *Body, const SourceManager &SM)
      : Body(Body), SM(SM) {}

  bool canBypass(const VarDecl *Var) { return visit(Body, Var); }

private:
  bool visit(const Stmt *S, const VarDecl *Var) {
    if (!S)
      return false;
    if (const auto *Block = dyn_cast<CompoundStmt>(S)) {
      const auto *Declaration =
          llvm::find_if(Block->body(), [&](const Stmt *Child) {
            // `case 0: int x;` is a case label holding the declaration.
            while (Child && isa<SwitchCase, LabelStmt>(Child))
              Child = isa<LabelStmt>(Child)
                          ? cast<LabelStmt>(Child)->getSubStmt()
                          : cast<SwitchCase>(Child)->getSubStmt();
            const auto *DS = dyn_cast_or_null<DeclStmt>(Child);
            return DS && llvm::is_contained(DS->decls(), Var);
          });
      if (Declaration != Block->body_end()) {
        Scope =
            SourceRange((*Declaration)->getBeginLoc(), Block->getRBracLoc());
        collectOutsideJumps(Body);
        return std::any_of(
            std::next(Declaration), Block->body_end(),
            [&](const Stmt *Next) { return hasJumpTarget(Next, false); });
      }
    }
    return llvm::any_of(S->children(),
                        [&](const Stmt *Child) { return visit(Child, Var); });
  }

  /// Cases of a switch that starts after the declaration cannot bypass it.
  bool hasJumpTarget(const Stmt *S, bool InNestedSwitch) {
    if (!S)
      return false;
    if (isa<SwitchCase>(S) && !InNestedSwitch)
      return true;
    if (const auto *Label = dyn_cast<LabelStmt>(S);
        Label && Reached.contains(Label->getDecl()))
      return true;
    bool Nested = InNestedSwitch || isa<SwitchStmt>(S);
    return llvm::any_of(S->children(), [&](const Stmt *Child) {
      return hasJumpTarget(Child, Nested);
    });
  }

  void collectOutsideJumps(const Stmt *S) {
    if (!S)
      return;
    if (const auto *Goto = dyn_cast<GotoStmt>(S);
        Goto && !inScope(Goto->getGotoLoc()))
      Reached.insert(Goto->getLabel());
    if (const auto *Address = dyn_cast<AddrLabelExpr>(S))
      Reached.insert(Address->getLabel());
    for (const Stmt *Child : S->children())
      collectOutsideJumps(Child);
  }

  bool inScope(SourceLocation Loc) const {
    Loc = SM.getExpansionLoc(Loc);
    return !SM.isBeforeInTranslationUnit(
               Loc, SM.getExpansionLoc(Scope.getBegin())) &&
           !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(Scope.getEnd()),
                                         Loc);
  }

  const Stmt *Body;
  const SourceManager &SM;
  SourceRange Scope;
  llvm::SmallPtrSet<const LabelDecl *, 4> Reached;
};

bool refersTo(const Stmt *S, const ValueDecl *D) {
  if (!S)
    return false;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S); Ref && Ref->getDecl() == D)
    return true;
  return llvm::any_of(S->children(),
                      [&](const Stmt *Child) { return refersTo(Child, D); });
}

class FrameRewriter {
public:
  explicit FrameRewriter(Sema &S)
      : S(S), Ctx(S.getASTContext()), Build(Ctx),
        Runtime(findRuntimeDecls(Ctx)) {}

  /// Orders the rewrites: the go_new calls first, innermost first (a moved
  /// variable's initialiser may contain one), then the variables; otherwise
  /// as the analysis listed them (\p Work points into one vector, in order).
  void order(std::vector<Verdict *> &Work) {
    auto Rank = [&](const Verdict *V) {
      bool IsSite = isFrameAllocation(*V);
      unsigned Inner =
          IsSite ? indexOf(const_cast<FunctionDecl *>(V->Fn)).postOrder(V->Site)
                 : 0;
      return std::make_tuple(!IsSite, Inner, V);
    };
    llvm::sort(Work, [&](const Verdict *A, const Verdict *B) {
      return Rank(A) < Rank(B);
    });
  }

  void rewrite(Verdict &V, std::vector<Verdict> &Errors) {
    if (isFrameAllocation(V)) {
      if (Failure Why = placeInFrame(V)) {
        V.Escapes = true;
        V.Explanation = {"cannot be placed in the frame: " + *Why};
      }
      return;
    }
    auto *Var = dyn_cast_or_null<VarDecl>(const_cast<ValueDecl *>(V.Var));
    if (V.Kind != Verdict::MovedToHeap || !Var || !V.Fn)
      return;
    auto *Fn = const_cast<FunctionDecl *>(V.Fn);
    // A coroutine's frame is not on a stack but in memory of its own, which
    // lives as long as the coroutine, as C++ defines: nothing to move.
    if (isa_and_nonnull<CoroutineBodyStmt>(Fn->getBody()))
      return;
    Failure Why = isa<ParmVarDecl>(Var)
                      ? moveParameter(Fn, cast<ParmVarDecl>(Var))
                      : moveLocal(Fn, Var);
    if (!Why)
      return;
    Verdict Error = V;
    Error.Kind = Verdict::Unmovable;
    Error.Explanation = {*Why};
    Errors.push_back(std::move(Error));
  }

  /// Declares the frame slots and heap copies at the top of their frames.
  void finish() {
    // The destroyers of moved variables, instantiated after the end of the
    // translation unit; Sema hands each definition to CodeGen.
    if (DestroyersReferenced)
      S.PerformPendingInstantiations();
    for (auto &[Fn, Vars] : MovedLocals)
      clearNRVO(Fn->getBody(), Vars);
    for (auto &[Fn, Decls] : FrameDecls)
      Fn->setBody(prepend(Decls, cast<CompoundStmt>(Fn->getBody())));
  }

private:
  static bool isFrameAllocation(const Verdict &V) {
    return V.Kind == Verdict::Allocation && !V.Escapes && V.Fn && V.Site;
  }

  const SlotIndex &indexOf(FunctionDecl *Fn) {
    std::unique_ptr<SlotIndex> &Index = Indexes[Fn];
    if (!Index)
      Index = std::make_unique<SlotIndex>(Fn->getBody());
    return *Index;
  }

  /// Whether frame declarations can go at the top of Fn's body.
  Failure canDeclareInFrame(const FunctionDecl *Fn) {
    if (isa_and_nonnull<CoroutineBodyStmt>(Fn->getBody()))
      return "the function is a coroutine";
    if (!isa_and_nonnull<CompoundStmt>(Fn->getBody()))
      return "the function body is a function-try-block";
    return std::nullopt;
  }

  CompoundStmt *prepend(llvm::ArrayRef<VarDecl *> Decls, CompoundStmt *Block) {
    llvm::SmallVector<Stmt *, 16> Stmts;
    for (VarDecl *Var : Decls)
      Stmts.push_back(new (Ctx) DeclStmt(DeclGroupRef(Var), Var->getLocation(),
                                         Var->getLocation()));
    return Build.prepend(Stmts, Block);
  }

  Failure placeInFrame(Verdict &V) {
    auto *Call = dyn_cast_or_null<CallExpr>(const_cast<Expr *>(V.Site));
    auto *Fn = const_cast<FunctionDecl *>(V.Fn);
    if (!Call || !Fn)
      return "the allocation is not a call";
    if (Failure Why = canDeclareInFrame(Fn))
      return Why;
    auto *Construct = const_cast<FunctionDecl *>(
        escape::goNewConstruct(Call->getDirectCallee()));
    if (!Construct || Construct->getNumParams() != Call->getNumArgs() + 2)
      return "<gostack/gostack.h> does not match the plugin";
    Stmt **Slot = indexOf(Fn).slotOf(Call);
    if (!Slot)
      return "it is evaluated outside the function body (a default argument "
             "or a member initialiser)";

    QualType T = Construct->getTemplateSpecializationArgs()->get(0).getAsType();
    SourceLocation Loc = Call->getBeginLoc();
    std::string Suffix = std::to_string(FrameDecls[Fn].size());
    VarDecl *Storage = Build.storageFor(Fn, "__gostack_slot" + Suffix, T, Loc);
    FrameDecls[Fn].push_back(Storage);
    QualType OwnerPtrTy = Construct->getParamDecl(1)->getType();
    Expr *Owner = Build.nullPointer(OwnerPtrTy, Loc);
    if (T.isDestructedType()) {
      VarDecl *OwnerVar =
          slotOwner(Fn, OwnerPtrTy->getPointeeType(), Suffix, Loc);
      if (!OwnerVar)
        return "<gostack/gostack.h> does not match the plugin";
      FrameDecls[Fn].push_back(OwnerVar);
      Owner = Build.addressOf(OwnerVar, OwnerPtrTy, Loc);
    }
    llvm::SmallVector<Expr *, 8> Args{
        Build.addressOf(Storage, Construct->getParamDecl(0)->getType(), Loc),
        Owner};
    llvm::append_range(Args, Call->arguments());
    *Slot = Build.call(Construct, Args, Loc);
    return std::nullopt;
  }

  VarDecl *slotOwner(FunctionDecl *Fn, QualType OwnerTy, llvm::StringRef Suffix,
                     SourceLocation Loc) {
    const CXXRecordDecl *Record = OwnerTy->getAsCXXRecordDecl();
    if (!Record)
      return nullptr;
    for (CXXConstructorDecl *Ctor : Record->ctors()) {
      if (!Ctor->isDefaultConstructor())
        continue;
      VarDecl *Owner =
          Build.local(Fn, ("__gostack_owner" + Suffix).str(), OwnerTy, Loc);
      Owner->setInit(CXXConstructExpr::Create(
          Ctx, OwnerTy, Loc, Ctor, /*Elidable=*/false, {},
          /*HadMultipleCandidates=*/false, /*ListInitialization=*/false,
          /*StdInitListInitialization=*/false, /*ZeroInitialization=*/false,
          CXXConstructionKind::Complete, SourceRange()));
      return Owner;
    }
    return nullptr;
  }

  Failure checkRuntime() {
    if (!Runtime.GcAllocFrame || !Runtime.PlacementNew ||
        !Runtime.PlacementArrayNew || !Runtime.DestroyObject ||
        !Runtime.LifetimeOwner)
      return "the runtime's declarations are missing: put gostack's "
             "runtime/include on the include path (-I)";
    return std::nullopt;
  }

  /// &destroy_object<T>, or null when the template cannot be instantiated
  /// for T.
  Expr *destroyer(QualType T, SourceLocation Loc) {
    QualType DestroyerTy = Runtime.Adopt->getParamDecl(1)->getType();
    TemplateArgumentListInfo Args(Loc, Loc);
    Args.addArgument(TemplateArgumentLoc(TemplateArgument(T),
                                         Ctx.getTrivialTypeSourceInfo(T, Loc)));
    FunctionDecl *Destroy = nullptr;
    sema::TemplateDeductionInfo Info(Loc);
    if (S.DeduceTemplateArguments(Runtime.DestroyObject, &Args, Destroy,
                                  Info) != TemplateDeductionResult::Success ||
        !Destroy)
      return nullptr;
    S.MarkFunctionReferenced(Loc, Destroy);
    DestroyersReferenced = true;
    Expr *Pointer = ImplicitCastExpr::Create(
        Ctx, Ctx.getPointerType(Destroy->getType()), CK_FunctionToPointerDecay,
        Build.ref(Destroy, Loc), nullptr, VK_PRValue, FPOptionsOverride());
    return Build.pointerCast(Pointer, DestroyerTy);
  }

  /// The heap object that becomes variable \p Named, of type T, built from
  /// \p Init (an initialiser Sema checked for Named):
  ///   *::new (gc_alloc_frame(sizeof(T), alignof(T))) T Init
  /// and, for a T with a destructor, owned by a lifetime_owner temporary
  /// extended to Named's scope, so that it is destroyed where Named would be:
  ///   *static_cast<T *>(lifetime_owner().adopt(::new (...) T Init,
  ///                                            &destroy_object<T>))
  /// Null when T's destroyer cannot be had.
  Expr *heapObject(VarDecl *Named, QualType T, Expr *Init, SourceLocation Loc) {
    // The temporaries of the initialiser die at the end of the whole new
    // initialisation, as they did at the end of the variable's.
    auto *Cleanups = dyn_cast_or_null<ExprWithCleanups>(Init);
    if (Cleanups)
      Init = Cleanups->getSubExpr();
    // Frame storage: scanned as a whole, adjusted when its stack moves; its
    // destructor runs at the end of its scope, never in the collector.
    QualType SizeTy = Runtime.GcAllocFrame->getParamDecl(0)->getType();
    Expr *Where =
        Build.call(Runtime.GcAllocFrame,
                   {Build.sizeLiteral(Ctx.getTypeSizeInChars(T).getQuantity(),
                                      SizeTy, Loc),
                    Build.sizeLiteral(Ctx.getTypeAlignInChars(T).getQuantity(),
                                      SizeTy, Loc)},
                   Loc);
    Expr *Object = Build.placementNew(
        Runtime.PlacementNew, Runtime.PlacementArrayNew, Where, T, Init, Loc);
    bool Owned = T.isDestructedType();
    if (Owned) {
      Expr *Destroy = destroyer(T, Loc);
      if (!Destroy)
        return nullptr;
      Expr *Owner = Build.temporaryExtendedBy(Named, Runtime.LifetimeOwner,
                                              Runtime.LifetimeOwnerInit,
                                              Runtime.LifetimeOwnerEnd, Loc);
      QualType VoidPtr = Runtime.Adopt->getParamDecl(0)->getType();
      Object = Build.pointerCast(
          Build.memberCall(Owner, Runtime.Adopt,
                           {Build.pointerCast(Object, VoidPtr), Destroy}, Loc),
          Ctx.getPointerType(T));
    }
    Object = Build.deref(Object, T, Loc);
    if (!Owned && !Cleanups)
      return Object;
    return ExprWithCleanups::Create(
        Ctx, Object, Owned || Cleanups->cleanupsHaveSideEffects(),
        Cleanups ? Cleanups->getObjects()
                 : llvm::ArrayRef<ExprWithCleanups::CleanupObject>());
  }

  Failure moveLocal(FunctionDecl *Fn, VarDecl *Var) {
    if (!Var->hasLocalStorage())
      return std::nullopt;
    if (isa<DecompositionDecl>(Var))
      return "moving a structured binding is not supported; bind a named "
             "variable instead";
    if (Var->isExceptionVariable())
      return "a catch parameter cannot be moved; copy it into a variable";
    if (Var->isInitCapture())
      return "a lambda's init-capture cannot be moved";
    if (Failure Why = checkRuntime())
      return Why;
    QualType T = Var->getType();
    if (!T->isConstantSizeType())
      return "a variable-length array cannot be moved; give it a constant "
             "size";
    if (BypassFinder(Fn->getBody(), Ctx.getSourceManager()).canBypass(Var))
      return "a jump to a later case or label can bypass its declaration; "
             "declare it in a block of its own";
    Expr *Heap = heapObject(Var, T, Var->getInit(), Var->getLocation());
    if (!Heap)
      return NoDestroyer;
    keepConstantUses(Fn, Var);
    QualType Ref = Ctx.getLValueReferenceType(T);
    Var->setInit(Heap);
    Var->setType(Ref);
    Var->setTypeSourceInfo(
        Ctx.getTrivialTypeSourceInfo(Ref, Var->getLocation()));
    Var->setInitStyle(VarDecl::CInit);
    Var->setConstexpr(false);
    // The returned object is no longer built in the caller's slot.
    Var->setNRVOVariable(false);
    MovedLocals[Fn].insert(Var);
    return std::nullopt;
  }

  /// A constant's value may be used without its storage (an array bound, a
  /// lambda that does not capture it): those uses go to an unmoved twin with
  /// the original initialiser, which code generation only ever evaluates.
  void keepConstantUses(FunctionDecl *Fn, VarDecl *Var) {
    if (!Var->isUsableInConstantExpressions(Ctx))
      return;
    VarDecl *Twin =
        Build.local(Fn, Var->getName(), Var->getType(), Var->getLocation());
    Twin->setInit(Var->getInit());
    Twin->setConstexpr(Var->isConstexpr());
    UseRedirector(Var, Twin, UseRedirector::ConstantUses)
        .TraverseStmt(Fn->getBody());
  }

  void clearNRVO(Stmt *S, const llvm::SmallPtrSetImpl<VarDecl *> &Vars) {
    if (!S)
      return;
    if (auto *Return = dyn_cast<ReturnStmt>(S);
        Return && Vars.contains(Return->getNRVOCandidate()))
      Return->setNRVOCandidate(nullptr);
    for (Stmt *Child : S->children())
      if (!isa_and_nonnull<LambdaExpr>(Child))
        clearNRVO(Child, Vars);
  }

  Failure moveParameter(FunctionDecl *Fn, ParmVarDecl *Param) {
    if (Failure Why = checkRuntime())
      return Why;
    if (Failure Why = canDeclareInFrame(Fn))
      return Why;
    if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Fn))
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (refersTo(Init->getInit(), Param))
          return "the parameter is used in the member initialiser list";
    QualType T = Param->getType();
    SourceLocation Loc = Param->getLocation();
    // The heap copy is initialised from the parameter as from an xvalue, as
    // a returned local is.
    Expr *Moved = ImplicitCastExpr::Create(
        Ctx, T.getNonReferenceType(), CK_NoOp, Build.ref(Param, Loc), nullptr,
        VK_XValue, FPOptionsOverride());
    ExprResult Init;
    {
      Sema::ContextRAII InFunction(S, Fn, /*NewThisContext=*/false);
      Sema::SFINAETrap Trap(S);
      Init = S.PerformCopyInitialization(
          InitializedEntity::InitializeNew(Loc, T), Loc, Moved);
      if (Init.isInvalid() || Trap.hasErrorOccurred())
        return "its type '" + T.getAsString() +
               "' can be neither moved nor copied into the heap";
    }
    VarDecl *Copy =
        Build.local(Fn, Param->getName(), Ctx.getLValueReferenceType(T), Loc);
    Expr *Heap = heapObject(Copy, T, Init.get(), Loc);
    if (!Heap)
      return NoDestroyer;
    Copy->setInit(Heap);
    UseRedirector(Param, Copy, UseRedirector::OwnCodeUses)
        .TraverseStmt(Fn->getBody());
    FrameDecls[Fn].push_back(Copy);
    return std::nullopt;
  }

  Sema &S;
  ASTContext &Ctx;
  AstBuilder Build;
  RuntimeDecls Runtime;
  /// What to declare at the top of each rewritten frame, in order.
  llvm::MapVector<FunctionDecl *, llvm::SmallVector<VarDecl *, 4>> FrameDecls;
  llvm::DenseMap<FunctionDecl *, std::unique_ptr<SlotIndex>> Indexes;
  llvm::MapVector<FunctionDecl *, llvm::SmallPtrSet<VarDecl *, 4>> MovedLocals;
  bool DestroyersReferenced = false;

  static constexpr const char *NoDestroyer =
      "the runtime's destroy_object cannot be instantiated for its type";
};

} // namespace

void rewriteFrames(Sema &S, std::vector<Verdict> &Verdicts) {
  FrameRewriter Rewriter(S);
  std::vector<Verdict *> Work;
  for (Verdict &V : Verdicts)
    Work.push_back(&V);
  Rewriter.order(Work);
  std::vector<Verdict> Errors;
  for (Verdict *V : Work)
    Rewriter.rewrite(*V, Errors);
  Rewriter.finish();
  llvm::append_range(Verdicts, std::move(Errors));
}

} // namespace gostack::rewrite
