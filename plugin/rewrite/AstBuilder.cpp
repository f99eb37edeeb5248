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

CallExpr *AstBuilder::call(FunctionDecl *Callee, llvm::ArrayRef<Expr *> Args,
                           SourceLocation Loc) {
  Expr *Fn = ImplicitCastExpr::Create(
      Ctx, Ctx.getPointerType(Callee->getType()), CK_FunctionToPointerDecay,
      ref(Callee, Loc), nullptr, VK_PRValue, FPOptionsOverride());
  QualType Result = Callee->getCallResultType();
  return CallExpr::Create(Ctx, Fn, Args, Result.getNonReferenceType(),
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

Expr *AstBuilder::constructAt(FunctionDecl *PlacementNew, Expr *Where,
                              QualType T, Expr *Init, SourceLocation Loc) {
  // The temporaries of the initialiser die at the end of the whole new
  // initialisation, as they did at the end of the variable's.
  auto *Cleanups = dyn_cast_or_null<ExprWithCleanups>(Init);
  if (Cleanups)
    Init = Cleanups->getSubExpr();
  auto Style = Init ? CXXNewInitializationStyle::Parens
                    : CXXNewInitializationStyle::None;
  if (Init && isa<InitListExpr>(Init->IgnoreImplicit()))
    Style = CXXNewInitializationStyle::Braces;
  // Not an array new even for an array T: one object of type T is built,
  // as the variable was.
  Expr *New = CXXNewExpr::Create(
      Ctx, /*IsGlobalNew=*/true, PlacementNew, /*OperatorDelete=*/nullptr,
      /*ShouldPassAlignment=*/false, /*UsualArrayDeleteWantsSize=*/false,
      {Where}, SourceRange(), std::nullopt, Style, Init, Ctx.getPointerType(T),
      Ctx.getTrivialTypeSourceInfo(T, Loc), SourceRange(Loc),
      Init ? Init->getSourceRange() : SourceRange());
  Expr *Object =
      UnaryOperator::Create(Ctx, New, UO_Deref, T, VK_LValue, OK_Ordinary, Loc,
                            /*CanOverflow=*/false, FPOptionsOverride());
  if (!Cleanups)
    return Object;
  return ExprWithCleanups::Create(
      Ctx, Object, Cleanups->cleanupsHaveSideEffects(), Cleanups->getObjects());
}

} // namespace gostack::rewrite
