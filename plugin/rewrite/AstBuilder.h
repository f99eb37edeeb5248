//===-- AstBuilder.h - Build the few AST nodes the rewrite needs -*- C++
//-*-===//
//
/// \file
/// The rewrite runs after Sema has finished the translation unit, so it
/// builds its nodes directly, already resolved: every declaration it refers
/// to exists (the runtime header declares them, and each go_new<T, Args...>
/// instantiation has instantiated the construct<T, Args...> it reuses). Only
/// copying a parameter into the heap goes through Sema, which must choose
/// the constructor.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_REWRITE_ASTBUILDER_H
#define GOSTACK_PLUGIN_REWRITE_ASTBUILDER_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"

namespace gostack::rewrite {

class AstBuilder {
public:
  explicit AstBuilder(clang::ASTContext &Ctx) : Ctx(Ctx) {}

  /// A compiler-made local of \p Fn named \p Name.
  clang::VarDecl *local(clang::FunctionDecl *Fn, llvm::StringRef Name,
                        clang::QualType T, clang::SourceLocation Loc);
  /// A local byte array able to hold a \p T: a frame slot.
  clang::VarDecl *storageFor(clang::FunctionDecl *Fn, llvm::StringRef Name,
                             clang::QualType T, clang::SourceLocation Loc);

  clang::DeclRefExpr *ref(clang::ValueDecl *D, clang::SourceLocation Loc);
  /// A call of \p Callee, whose parameters the arguments already match.
  clang::CallExpr *call(clang::FunctionDecl *Callee,
                        llvm::ArrayRef<clang::Expr *> Args,
                        clang::SourceLocation Loc);
  /// &Var, converted to \p PointerTy (void * or the variable's own pointer).
  clang::Expr *addressOf(clang::VarDecl *Var, clang::QualType PointerTy,
                         clang::SourceLocation Loc);
  clang::Expr *nullPointer(clang::QualType PointerTy,
                           clang::SourceLocation Loc);
  clang::Expr *sizeLiteral(uint64_t Value, clang::QualType SizeTy,
                           clang::SourceLocation Loc);
  /// *::new (Where) T Init: builds \p Init, an initialiser checked by Sema
  /// for an object of type T, in place, and names the object.
  clang::Expr *constructAt(clang::FunctionDecl *PlacementNew,
                           clang::Expr *Where, clang::QualType T,
                           clang::Expr *Init, clang::SourceLocation Loc);

  clang::ASTContext &context() { return Ctx; }

private:
  clang::ASTContext &Ctx;
};

} // namespace gostack::rewrite

#endif // GOSTACK_PLUGIN_REWRITE_ASTBUILDER_H
