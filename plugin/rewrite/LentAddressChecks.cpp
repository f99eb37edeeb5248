//===-- LentAddressChecks.cpp - Entry checks for lent addresses -----------===//

#include "rewrite/LentAddressChecks.h"
#include "escape/Summary.h"
#include "rewrite/AstBuilder.h"
#include "rewrite/RuntimeDecls.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/MapVector.h"

using namespace clang;
using gostack::escape::Verdict;

namespace gostack::rewrite {
namespace {

class CheckBuilder {
public:
  CheckBuilder(ASTContext &Ctx, FunctionDecl *Check)
      : Ctx(Ctx), Build(Ctx), Check(Check),
        VoidPointer(Ctx.getPointerType(Ctx.VoidTy.withConst())) {}

  CompoundStmt *prepend(llvm::ArrayRef<Stmt *> Stmts, CompoundStmt *Body) {
    return Build.prepend(Stmts, Body);
  }

  /// The check for \p V, or null when its subject is no address.
  Stmt *checkFor(const Verdict &V) {
    auto *Fn = const_cast<FunctionDecl *>(V.Fn);
    SourceLocation Loc = V.Loc;
    Expr *Address = addressOf(Fn, subjectIndex(Fn, V), Loc);
    if (!Address)
      return nullptr;
    // Kept only in one other parameter's object: a lend only when that
    // object is not in the stack too. Kept in the heap, or in several
    // objects: always.
    Expr *Holder = nullptr;
    llvm::SmallVector<unsigned, 2> Holders;
    for (auto [Param, Derefs] : V.ParamLeaks.contents())
      if (Derefs == 0)
        Holders.push_back(Param);
    if (!keptInHeap(V) && Holders.size() == 1)
      Holder = addressOf(Fn, Holders.front(), Loc);
    if (!Holder)
      Holder = Build.nullPointer(VoidPointer, Loc);
    std::string Where =
        Fn->getQualifiedNameAsString() + ": parameter " + V.Subject;
    return Build.call(Check, {Address, Holder, literal(Where, Loc)}, Loc);
  }

  /// Whether \p V's function itself keeps its parameter beyond the call
  /// (a managed callee it passes it to checks on its own entry).
  static bool kept(const Verdict &V) {
    if (V.Kind != Verdict::Parameter || !V.Fn)
      return false;
    if (keptInHeap(V))
      return true;
    return llvm::any_of(V.ParamLeaks.contents(),
                        [](auto Content) { return Content.second == 0; });
  }

private:
  static bool keptInHeap(const Verdict &V) {
    return V.ParamLeaks.heap() == 0 && V.KeptDirectly;
  }

  /// The summary's index of \p V's parameter: 0 is `this` in a member
  /// function.
  static unsigned subjectIndex(const FunctionDecl *Fn, const Verdict &V) {
    unsigned Offset = escape::hasThisParameter(Fn);
    if (const auto *Param = dyn_cast_or_null<ParmVarDecl>(V.Var))
      return Param->getFunctionScopeIndex() + Offset;
    return 0;
  }

  /// The address parameter \p Index holds or refers to, as a const void *,
  /// or null when it is neither a pointer to an object nor a reference.
  Expr *addressOf(FunctionDecl *Fn, unsigned Index, SourceLocation Loc) {
    bool HasThis = escape::hasThisParameter(Fn);
    if (HasThis && Index == 0) {
      QualType This = cast<CXXMethodDecl>(Fn)->getThisType();
      return Build.pointerCast(
          CXXThisExpr::Create(Ctx, Loc, This, /*IsImplicit=*/true),
          VoidPointer);
    }
    Index -= HasThis;
    if (Index >= Fn->getNumParams())
      return nullptr;
    ParmVarDecl *Param = Fn->getParamDecl(Index);
    QualType T = Param->getType();
    if (T->isReferenceType() && T.getNonReferenceType()->isObjectType())
      return Build.pointerCast(
          UnaryOperator::Create(Ctx, Build.ref(Param, Loc), UO_AddrOf,
                                Ctx.getPointerType(T.getNonReferenceType()),
                                VK_PRValue, OK_Ordinary, Loc,
                                /*CanOverflow=*/false, FPOptionsOverride()),
          VoidPointer);
    if (T->isPointerType() && T->getPointeeType()->isObjectType())
      return Build.pointerCast(
          ImplicitCastExpr::Create(Ctx, T.getUnqualifiedType(),
                                   CK_LValueToRValue, Build.ref(Param, Loc),
                                   nullptr, VK_PRValue, FPOptionsOverride()),
          VoidPointer);
    return nullptr;
  }

  /// "Text" as a const char *.
  Expr *literal(llvm::StringRef Text, SourceLocation Loc) {
    QualType Array = Ctx.getStringLiteralArrayType(Ctx.CharTy, Text.size());
    auto *String = StringLiteral::Create(Ctx, Text, StringLiteralKind::Ordinary,
                                         /*Pascal=*/false, Array, Loc);
    return ImplicitCastExpr::Create(
        Ctx, Ctx.getPointerType(Ctx.CharTy.withConst()), CK_ArrayToPointerDecay,
        String, nullptr, VK_PRValue, FPOptionsOverride());
  }

  ASTContext &Ctx;
  AstBuilder Build;
  FunctionDecl *Check;
  QualType VoidPointer;
};

} // namespace

void addLentAddressChecks(ASTContext &Ctx,
                          const std::vector<Verdict> &Verdicts) {
  FunctionDecl *Check = findRuntimeDecls(Ctx).CheckLentAddress;
  if (!Check)
    return;
  CheckBuilder Builder(Ctx, Check);
  llvm::MapVector<FunctionDecl *, llvm::SmallVector<Stmt *, 4>> Checks;
  for (const Verdict &V : Verdicts)
    if (CheckBuilder::kept(V))
      if (Stmt *S = Builder.checkFor(V))
        Checks[const_cast<FunctionDecl *>(V.Fn)].push_back(S);
  for (auto &[Fn, Stmts] : Checks) {
    // A coroutine's parameters are copied into its frame; a function-try-
    // block has no body to put the checks at the top of.
    auto *Body = dyn_cast_or_null<CompoundStmt>(Fn->getBody());
    if (!Body)
      continue;
    Fn->setBody(Builder.prepend(Stmts, Body));
  }
}

} // namespace gostack::rewrite
