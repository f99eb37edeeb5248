//===-- Walker.h - Build the location graph from the AST --------*- C++ -*-===//
//
/// \file
/// The Walker turns the bodies of one batch of functions into locations and
/// edges. Its methods are split by what they walk, as Go's are:
///   Stmt.cpp  statements, declarations, loop depth;
///   Expr.cpp  expressions: the value or the address of each one flows into
///             a hole;
///   Call.cpp  calls, constructors, destructors, go_new, lambdas, and the
///             gostack runtime calls with Go semantics (go, chan send).
///
/// Rule for contributors: every sub-expression must be walked, even when its
/// value is discarded, because it may contain flows of its own
/// (`f(&x) + 1`). A construct the walker does not model sends all its
/// operands to the heap, with a note saying why: conservative, never silent.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_ESCAPE_WALKER_H
#define GOSTACK_PLUGIN_ESCAPE_WALKER_H

#include "escape/Graph.h"
#include "escape/Summary.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace gostack::escape {

/// The locations of one function's frame that callers in the same batch
/// flow into directly.
struct FunctionFrame {
  Location *This = nullptr;
  llvm::SmallVector<Location *, 4> Params;
  Location *Result = nullptr;
  /// What each pointer or reference parameter points to, for stores through
  /// it, by summary index (0 is `this` in a member function); null for other
  /// parameters, for a pointer the function reassigns, and for a
  /// constructor's `this` (its stores go into Result, the new object).
  llvm::SmallVector<Location *, 4> Contents;
};

/// Evaluates one argument of a call into the hole the callee gives it.
using ArgumentFn = llvm::function_ref<void(Hole)>;

class Walker {
public:
  Walker(clang::ASTContext &Ctx, Graph &G, const SummaryMap &Summaries,
         const llvm::SmallPtrSetImpl<const clang::FunctionDecl *> &Batch,
         llvm::function_ref<bool(const clang::FunctionDecl *)> IsManaged);

  /// Creates the parameter, `this` and result locations of a function of the
  /// batch, so that calls to it can flow into them.
  void declareFunction(const clang::FunctionDecl *FD);
  /// Walks the body of a function declared before.
  void walkFunction(const clang::FunctionDecl *FD);

  const FunctionFrame *frameOf(const clang::FunctionDecl *FD) const;

private:
  // Stmt.cpp
  void stmt(const clang::Stmt *S);
  void compound(const clang::CompoundStmt *S);
  void loop(llvm::ArrayRef<const clang::Stmt *> Parts);
  void declare(const clang::VarDecl *VD);
  void unmodeledStmt(const clang::Stmt *S, llvm::StringRef Why);
  void markLoopingLabels(const clang::Stmt *Body);

  // Expr.cpp
  void value(Hole K, const clang::Expr *E);
  void address(Hole K, const clang::Expr *E);
  void initialize(Hole K, const clang::Expr *Init, clang::QualType T);
  void discard(const clang::Expr *E) { value(G.discardHole(), E); }
  Hole assignTarget(const clang::Expr *LHS);
  /// Walks the index expressions of a place whose object is exactly known.
  void discardOperands(const clang::Expr *Place);
  void assign(const clang::Expr *LHS, const clang::Expr *RHS,
              const clang::Stmt *Where);
  void castValue(Hole K, const clang::CastExpr *E);
  void unaryValue(Hole K, const clang::UnaryOperator *E);
  void binaryValue(Hole K, const clang::BinaryOperator *E);
  void initList(Hole K, const clang::InitListExpr *E);
  void memberAddress(Hole K, const clang::MemberExpr *E);
  void variableAddress(Hole K, const clang::ValueDecl *D,
                       const clang::Expr *Where);
  void unmodeled(const clang::Stmt *S, llvm::StringRef Why);
  Location *temporary(const clang::Expr *Site);
  /// The object a class-type value flowing into K is built in.
  Location *objectFor(Hole K, const clang::Expr *Site);
  bool isConstructedObject(const clang::Expr *Base) const;

  // Call.cpp
  void call(Hole K, const clang::CallExpr *E);
  void callFunction(Hole K, const clang::FunctionDecl *Callee,
                    const clang::Expr *Where, ArgumentFn This,
                    Location *ThisObject,
                    llvm::ArrayRef<const clang::Expr *> Args);
  /// A call whose target is not known (\p Named: the method a virtual call
  /// names, else null): every argument escapes.
  void callUnknown(const clang::Expr *Where, llvm::StringRef Why,
                   ArgumentFn This, llvm::ArrayRef<const clang::Expr *> Args,
                   const clang::FunctionDecl *Named);
  /// Copies \p Arg's value into K's location as a decay-copy does: by its
  /// class's copy or move constructor, if it has one.
  void decayCopy(Hole K, const clang::Expr *Arg);
  void libraryCall(Hole K, const clang::CallExpr *E,
                   const struct LibraryEffect &Effect, ArgumentFn This,
                   llvm::ArrayRef<const clang::Expr *> Args);
  void construct(Location *Object, const clang::CXXConstructExpr *E,
                 ArgumentFn This);
  void destroy(Location *Object, clang::QualType T, const clang::Expr *Where);
  void goNew(Hole K, const clang::CallExpr *E,
             const clang::FunctionDecl *Callee);
  void lambda(Hole K, const clang::LambdaExpr *E);
  llvm::SmallVector<Hole, 2> paramHoles(Hole Result,
                                        llvm::ArrayRef<Location *> Objects,
                                        const clang::FunctionDecl *Callee,
                                        unsigned Index,
                                        const clang::Expr *Where);
  /// The objects a call's pointer and reference arguments denote, where
  /// exactly known, by summary index.
  llvm::SmallVector<Location *, 4>
  argumentObjects(const clang::FunctionDecl *Callee, Location *ThisObject,
                  llvm::ArrayRef<const clang::Expr *> Args) const;
  Hole tee(llvm::ArrayRef<Hole> Holes, const clang::Expr *Where);

  /// Flows the value of `this` in the current frame into K.
  void thisValue(Hole K, const clang::Expr *Where);
  /// The object `this` points to in the current frame, as a location.
  Location *thisObject() const;
  /// The location of the object an expression denotes (for \p IsPointer:
  /// the object its value points to), when it is exactly one: a local
  /// variable, `*this`, what a pointer or reference parameter denotes; null
  /// otherwise.
  Location *exactObject(const clang::Expr *Object, bool IsPointer) const;
  /// What parameter \p D points to (or refers to), if it has a location.
  Location *paramContent(const clang::ValueDecl *D) const;
  const FunctionFrame *ownerFrame() const;

  clang::ASTContext &Ctx;
  Graph &G;
  const SummaryMap &Summaries;
  const llvm::SmallPtrSetImpl<const clang::FunctionDecl *> &Batch;
  /// Whether a callee is managed: it checks what it keeps on entry.
  llvm::function_ref<bool(const clang::FunctionDecl *)> IsManaged;

  llvm::DenseMap<const clang::FunctionDecl *, FunctionFrame> Frames;
  llvm::DenseMap<const clang::ValueDecl *, Location *> Vars;
  llvm::DenseMap<const clang::ValueDecl *, Location *> ParamContents;

  /// The function being walked.
  const clang::FunctionDecl *Fn = nullptr;
  /// Set while walking a constructor: its new object.
  Location *ConstructedObject = nullptr;
  int LoopDepth = 1;
  llvm::SmallPtrSet<const clang::LabelDecl *, 4> LoopingLabels;
};

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_WALKER_H
