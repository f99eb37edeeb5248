//===-- AstBuilder.cpp - Build the few AST nodes the rewrite needs --------===//

#include "rewrite/AstBuilder.h"

#include "clang/AST/Attr.h"

using namespace clang;

namespace gostack::rewrite {

VarDecl *AstBuilder::local(FunctionDecl *Fn, llvm::StringRef Name, QualType T,
                           SourceLocation Loc) {
  VarDecl *Var = VarDecl::Create(Ctx, Fn, Loc, Loc, &Ctx.Idents.get(Name), T,
                                 Ctx.getTrivialTypeSourceInfo(T, Loc), SC_None);
  Var->setImplicit();
  Var->setIsUsed();
  return Var;
}

VarDecl *AstBuilder::storageFor(FunctionDecl *Fn, llvm::StringRef Name,
                                QualType T, SourceLocation Loc) {
  uint64_t Size = Ctx.getTypeSizeInChars(T).getQuantity();
  uint64_t Align = Ctx.getTypeAlignInChars(T).getQuantity();
  QualType Bytes = Ctx.getConstantArrayType(
      Ctx.UnsignedCharTy, llvm::APInt(64, Size), nullptr,
      ArraySizeModifier::Normal, /*IndexTypeQuals=*/0);
  VarDecl *Storage = local(Fn, Name, Bytes, Loc);
  Storage->addAttr(AlignedAttr::CreateImplicit(
      Ctx, /*IsAlignmentExpr=*/true, sizeLiteral(Align, Ctx.getSizeType(), Loc),
      SourceRange(Loc)));
  return Storage;
}

DeclRefExpr *AstBuilder::ref(ValueDecl *D, SourceLocation Loc) {
  QualType T = D->getType().getNonReferenceType();
  return DeclRefExpr::Create(Ctx, NestedNameSpecifierLoc(), SourceLocation(), D,
                             /*RefersToEnclosingVariableOrCapture=*/false, Loc,
                             T, VK_LValue);
}

Expr *AstBuilder::callee(FunctionDecl *Callee, SourceLocation Loc) {
  return ImplicitCastExpr::Create(Ctx, Ctx.getPointerType(Callee->getType()),
                                  CK_FunctionToPointerDecay, ref(Callee, Loc),
                                  nullptr, VK_PRValue, FPOptionsOverride());
}

CallExpr *AstBuilder::call(FunctionDecl *Callee, llvm::ArrayRef<Expr *> Args,
                           SourceLocation Loc) {
  QualType Result = Callee->getCallResultType();
  return CallExpr::Create(Ctx, callee(Callee, Loc), Args,
                          Result.getNonReferenceType(),
                          Expr::getValueKindForType(Callee->getReturnType()),
                          Loc, FPOptionsOverride());
}

Expr *AstBuilder::addressOf(VarDecl *Var, QualType PointerTy,
                            SourceLocation Loc) {
  Expr *Address;
  if (const auto *Array = Ctx.getAsArrayType(Var->getType()))
    Address = ImplicitCastExpr::Create(
        Ctx, Ctx.getPointerType(Array->getElementType()),
        CK_ArrayToPointerDecay, ref(Var, Loc), nullptr, VK_PRValue,
        FPOptionsOverride());
  else
    Address = UnaryOperator::Create(Ctx, ref(Var, Loc), UO_AddrOf,
                                    Ctx.getPointerType(Var->getType()),
                                    VK_PRValue, OK_Ordinary, Loc,
                                    /*CanOverflow=*/false, FPOptionsOverride());
  if (Ctx.hasSameType(Address->getType(), PointerTy))
    return Address;
  return ImplicitCastExpr::Create(Ctx, PointerTy, CK_BitCast, Address, nullptr,
                                  VK_PRValue, FPOptionsOverride());
}

Expr *AstBuilder::nullPointer(QualType PointerTy, SourceLocation Loc) {
  auto *Null = new (Ctx) CXXNullPtrLiteralExpr(Ctx.NullPtrTy, Loc);
  return ImplicitCastExpr::Create(Ctx, PointerTy, CK_NullToPointer, Null,
                                  nullptr, VK_PRValue, FPOptionsOverride());
}

Expr *AstBuilder::sizeLiteral(uint64_t Value, QualType SizeTy,
                              SourceLocation Loc) {
  return IntegerLiteral::Create(
      Ctx, llvm::APInt(Ctx.getTypeSize(SizeTy), Value), SizeTy, Loc);
}

Expr *AstBuilder::placementNew(FunctionDecl *PlacementNew,
                               FunctionDecl *PlacementArrayNew, Expr *Where,
                               QualType T, Expr *Init, SourceLocation Loc) {
  // An array is built by an array new (code generation builds an array's
  // elements only there), of its first dimension.
  const ConstantArrayType *Array = Ctx.getAsConstantArrayType(T);
  QualType Allocated = Array ? Array->getElementType() : T;
  std::optional<Expr *> Count;
  if (Array)
    Count =
        sizeLiteral(Array->getSize().getZExtValue(), Ctx.getSizeType(), Loc);
  // `char s[] = "abc"` is `new char[4]{"abc"}`.
  if (Array && Init && isa<StringLiteral>(Init->IgnoreParenImpCasts())) {
    auto *List = new (Ctx) InitListExpr(Ctx, Loc, {Init}, Loc);
    List->setType(T);
    Init = List;
  }
  auto Style = Init ? CXXNewInitializationStyle::Parens
                    : CXXNewInitializationStyle::None;
  if (Init && isa<InitListExpr>(Init->IgnoreImplicit()))
    Style = CXXNewInitializationStyle::Braces;
  Expr *New = CXXNewExpr::Create(
      Ctx, /*IsGlobalNew=*/true, Array ? PlacementArrayNew : PlacementNew,
      /*OperatorDelete=*/nullptr, /*ShouldPassAlignment=*/false,
      /*UsualArrayDeleteWantsSize=*/false, {Where}, SourceRange(), Count, Style,
      Init, Ctx.getPointerType(Allocated),
      Ctx.getTrivialTypeSourceInfo(Allocated, Loc), SourceRange(Loc),
      Init ? Init->getSourceRange() : SourceRange());
  return Array ? pointerCast(New, Ctx.getPointerType(T)) : New;
}

Expr *AstBuilder::temporaryExtendedBy(VarDecl *Var, CXXRecordDecl *Class,
                                      CXXConstructorDecl *Init,
                                      CXXDestructorDecl *End,
                                      SourceLocation Loc) {
  QualType T = Ctx.getRecordType(Class);
  Expr *Construct = CXXConstructExpr::Create(
      Ctx, T, Loc, Init, /*Elidable=*/false, {},
      /*HadMultipleCandidates=*/false, /*ListInitialization=*/false,
      /*StdInitListInitialization=*/false, /*ZeroInitialization=*/false,
      CXXConstructionKind::Complete, SourceRange(Loc));
  Expr *Bound = CXXBindTemporaryExpr::Create(
      Ctx, CXXTemporary::Create(Ctx, End), Construct);
  auto *Temporary = new (Ctx)
      MaterializeTemporaryExpr(T, Bound, /*BoundToLvalueReference=*/false);
  Temporary->setExtendingDecl(Var, /*ManglingNumber=*/0);
  return Temporary;
}

Expr *AstBuilder::memberCall(Expr *Object, CXXMethodDecl *Method,
                             llvm::ArrayRef<Expr *> Args, SourceLocation Loc) {
  auto *Callee =
      MemberExpr::CreateImplicit(Ctx, Object, /*IsArrow=*/false, Method,
                                 Method->getType(), VK_PRValue, OK_Ordinary);
  QualType Result = Method->getCallResultType();
  return CXXMemberCallExpr::Create(
      Ctx, Callee, Args, Result.getNonReferenceType(),
      Expr::getValueKindForType(Method->getReturnType()), Loc,
      FPOptionsOverride());
}

Expr *AstBuilder::pointerCast(Expr *Pointer, QualType To) {
  if (Ctx.hasSameType(Pointer->getType(), To))
    return Pointer;
  return ImplicitCastExpr::Create(Ctx, To, CK_BitCast, Pointer, nullptr,
                                  VK_PRValue, FPOptionsOverride());
}

Expr *AstBuilder::deref(Expr *Pointer, QualType T, SourceLocation Loc) {
  return UnaryOperator::Create(Ctx, Pointer, UO_Deref, T, VK_LValue,
                               OK_Ordinary, Loc, /*CanOverflow=*/false,
                               FPOptionsOverride());
}

CompoundStmt *AstBuilder::prepend(llvm::ArrayRef<Stmt *> Stmts,
                                  CompoundStmt *Block) {
  llvm::SmallVector<Stmt *, 16> All(Stmts);
  llvm::append_range(All, Block->body());
  return CompoundStmt::Create(Ctx, All,
                              Block->hasStoredFPFeatures()
                                  ? Block->getStoredFPFeatures()
                                  : FPOptionsOverride(),
                              Block->getLBracLoc(), Block->getRBracLoc());
}

} // namespace gostack::rewrite
