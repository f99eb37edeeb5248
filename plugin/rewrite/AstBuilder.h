//===-- AstBuilder.h - AST nodes the rewrite builds -------------*- C++ -*-===//
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
  /// \p Callee as a call's callee (decayed to a function pointer).
  clang::Expr *callee(clang::FunctionDecl *Callee, clang::SourceLocation Loc);
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
  /// ::new (Where) T Init, as a T * (for an array T, an array new whose
  /// element pointer is converted to T *): builds \p Init, an initialiser
  /// Sema checked for a variable of type T (without its ExprWithCleanups), in
  /// place. \p PlacementNew and \p PlacementArrayNew are the reserved
  /// placement forms of operator new and new[].
  clang::Expr *placementNew(clang::FunctionDecl *PlacementNew,
                            clang::FunctionDecl *PlacementArrayNew,
                            clang::Expr *Where, clang::QualType T,
                            clang::Expr *Init, clang::SourceLocation Loc);
  /// A temporary of class \p Class, default-constructed by \p Init and
  /// destroyed by \p End, whose lifetime is extended to that of \p Var (the
  /// end of Var's scope, as a temporary bound to a reference variable).
  clang::Expr *temporaryExtendedBy(clang::VarDecl *Var,
                                   clang::CXXRecordDecl *Class,
                                   clang::CXXConstructorDecl *Init,
                                   clang::CXXDestructorDecl *End,
                                   clang::SourceLocation Loc);
  /// Object.Method(Args...), the arguments matching the parameters already.
  clang::Expr *memberCall(clang::Expr *Object, clang::CXXMethodDecl *Method,
                          llvm::ArrayRef<clang::Expr *> Args,
                          clang::SourceLocation Loc);
  /// A pointer conversion that changes only the pointee type.
  clang::Expr *pointerCast(clang::Expr *Pointer, clang::QualType To);
  /// *Pointer, an lvalue of type \p T.
  clang::Expr *deref(clang::Expr *Pointer, clang::QualType T,
                     clang::SourceLocation Loc);

  /// \p Block with \p Stmts before its own statements.
  clang::CompoundStmt *prepend(llvm::ArrayRef<clang::Stmt *> Stmts,
                               clang::CompoundStmt *Block);

  clang::ASTContext &context() { return Ctx; }

private:
  clang::ASTContext &Ctx;
};

} // namespace gostack::rewrite

#endif // GOSTACK_PLUGIN_REWRITE_ASTBUILDER_H
