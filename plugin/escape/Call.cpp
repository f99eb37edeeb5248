//===-- Call.cpp - Calls, constructors, go_new and lambdas ----------------===//
//
// A call flows each argument where the callee sends it:
//  - a callee in the batch being analysed (recursion, and the lambdas of the
//    batch's functions): straight into its parameter locations, and its
//    result location into the call's hole;
//  - a callee analysed before (bottom-up order): by its summary, e.g.
//    "p leaks to the heap with 1 deref" flows p into heap.deref();
//  - a declaration without a body: by its [[clang::noescape]] and
//    [[clang::lifetimebound]] attributes, else every pointer escapes;
//  - virtual calls and calls through pointers: every pointer escapes.
//
// The object of `obj.f()` is passed as `this` by address, of `p->f()` by
// value. A constructor is a call whose result is the object being built.
//
//===----------------------------------------------------------------------===//

#include "escape/Callees.h"
#include "escape/LibraryFunctions.h"
#include "escape/Types.h"
#include "escape/Walker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/Basic/Builtins.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace gostack::escape {

/// CONTRACT section 5: a go_new larger than this lives in the heap.
constexpr uint64_t MaxImplicitStackVarSize = 64 * 1024;

/// How the remarks spell a go_new call: go_new<T>(...), T as written.
static std::string goNewLabel(const CallExpr *E, QualType T,
                              const ASTContext &Ctx) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->getCallee()->IgnoreImpCasts());
  if (Ref && Ref->getNumTemplateArgs() == 1) {
    SourceRange Range = Ref->template_arguments()[0].getSourceRange();
    if (Range.getBegin().isFileID() && Range.getEnd().isFileID()) {
      StringRef Text =
          Lexer::getSourceText(CharSourceRange::getTokenRange(Range),
                               Ctx.getSourceManager(), Ctx.getLangOpts());
      if (!Text.empty())
        return ("go_new<" + Text + ">(...)").str();
    }
  }
  return "go_new<" + T.getAsString(Ctx.getPrintingPolicy()) + ">(...)";
}

Hole Walker::tee(llvm::ArrayRef<Hole> Holes, const Expr *Where) {
  if (Holes.empty())
    return G.discardHole();
  if (Holes.size() == 1)
    return Holes.front();
  Location *T = temporary(Where);
  for (const Hole &K : Holes)
    G.flow(K, T);
  return {T, 0, nullptr};
}

/// The summary-level knowledge of a callee without a frame in this batch.
static Leaks declaredLeaks(const FunctionDecl *Callee, unsigned Index) {
  unsigned First = hasThisParameter(Callee) ? 1 : 0;
  if (Index < First) {
    const TypeSourceInfo *TSI = Callee->getTypeSourceInfo();
    for (TypeLoc TL = TSI ? TSI->getTypeLoc() : TypeLoc(); TL;
         TL = TL.getNextTypeLoc())
      if (auto Attributed = TL.getAs<AttributedTypeLoc>())
        if (Attributed.getAttrKind() == attr::LifetimeBound) {
          Leaks L;
          L.addResult(0);
          return L;
        }
    return Leaks::unknown();
  }
  const ParmVarDecl *Param = Callee->getParamDecl(Index - First);
  Leaks L;
  if (Param->hasAttr<NoEscapeAttr>())
    return L;
  if (Param->hasAttr<LifetimeBoundAttr>()) {
    L.addResult(0);
    return L;
  }
  return Leaks::unknown();
}

llvm::SmallVector<Location *, 4>
Walker::argumentObjects(const FunctionDecl *Callee, Location *ThisObject,
                        llvm::ArrayRef<const Expr *> Args) const {
  llvm::SmallVector<Location *, 4> Objects;
  if (hasThisParameter(Callee))
    Objects.push_back(ThisObject);
  for (unsigned I = 0;
       I < std::min<size_t>(Callee->getNumParams(), Args.size()); ++I) {
    QualType T = Callee->getParamDecl(I)->getType();
    Objects.push_back(T->isReferenceType() || T->isPointerType()
                          ? exactObject(Args[I], T->isPointerType())
                          : nullptr);
  }
  return Objects;
}

llvm::SmallVector<Hole, 2>
Walker::paramHoles(Hole Result, llvm::ArrayRef<Location *> Objects,
                   const FunctionDecl *Callee, unsigned Index,
                   const Expr *Where) {
  Leaks L;
  const FunctionDecl *Definition = analysableDefinition(Callee);
  auto It = Definition ? Summaries.find(Definition->getCanonicalDecl())
                       : Summaries.end();
  if (It != Summaries.end() && Index < It->second.Params.size())
    L = It->second.Params[Index];
  else
    L = declaredLeaks(Callee, Index);

  llvm::SmallVector<Hole, 2> Holes;
  SourceLocation Loc = Where ? Where->getBeginLoc() : SourceLocation();
  // A managed callee checks on entry what it keeps (KeptDirectly).
  Hole Heap = IsManaged(Callee) ? G.managedCalleesHole() : G.heapHole();
  if (L.heap() >= 0)
    Holes.push_back(G.note(Heap.shift(L.heap()), Where, Loc, "call parameter"));
  if (L.result() >= 0 && Result.Derefs + L.result() >= 0)
    Holes.push_back(
        G.note(Result.shift(L.result()), Where, Loc, "call parameter"));
  for (auto [Param, Derefs] : L.contents()) {
    // Stored into what another argument denotes: into that object when we
    // know it.
    Location *Known = Param < Objects.size() ? Objects[Param] : nullptr;
    Hole Object = Known ? Hole{Known, 0, nullptr} : Heap;
    Holes.push_back(G.note(Object.shift(Derefs), Where, Loc, "call parameter"));
  }
  return Holes;
}

void Walker::callUnknown(const Expr *Where, llvm::StringRef Why,
                         ArgumentFn This, llvm::ArrayRef<const Expr *> Args,
                         const FunctionDecl *Named) {
  // A virtual call of a managed method reaches overriders that are managed
  // too (under managed=all, every one the project defines): they check on
  // entry what they keep (KeptDirectly). An unmanaged overrider that keeps
  // its argument is the cgo rule's case.
  Hole Heap =
      G.note(Named && IsManaged(Named) ? G.managedCalleesHole() : G.heapHole(),
             Where, Where->getBeginLoc(), Why);
  This(Heap);
  for (const Expr *Arg : Args) {
    if (Arg->isGLValue())
      address(Heap, Arg); // it may be bound to a reference
    else
      value(Heap, Arg);
  }
}

void Walker::callFunction(Hole K, const FunctionDecl *Callee, const Expr *Where,
                          ArgumentFn This, Location *ThisObject,
                          llvm::ArrayRef<const Expr *> Args) {
  const FunctionDecl *Definition = analysableDefinition(Callee);
  const FunctionDecl *Declared = Definition ? Definition : Callee;
  unsigned NumParams = Declared->getNumParams();
  SourceLocation Loc = Where ? Where->getBeginLoc() : SourceLocation();

  auto ExtraArguments = [&]() {
    for (unsigned I = NumParams; I < Args.size(); ++I)
      value(G.note(G.heapHole(), Args[I], Args[I]->getBeginLoc(),
                   "variadic argument"),
            Args[I]);
  };

  // In this batch: flow straight into the callee's frame.
  if (const FunctionFrame *Frame = Definition ? frameOf(Definition) : nullptr) {
    if (Frame->This)
      This(G.note({Frame->This, 0, nullptr}, Where, Loc, "call parameter"));
    else
      This(G.discardHole());
    for (unsigned I = 0; I < std::min<size_t>(NumParams, Args.size()); ++I)
      initialize(
          G.note({Frame->Params[I], 0, nullptr}, Where, Loc, "call parameter"),
          Args[I], Declared->getParamDecl(I)->getType());
    ExtraArguments();
    return G.flow(K, Frame->Result);
  }

  unsigned First = hasThisParameter(Declared) ? 1 : 0;
  llvm::SmallVector<Location *, 4> Objects =
      argumentObjects(Declared, ThisObject, Args);
  if (First)
    This(tee(paramHoles(K, Objects, Declared, 0, Where), Where));
  else
    This(G.discardHole());
  for (unsigned I = 0; I < std::min<size_t>(NumParams, Args.size()); ++I) {
    QualType T = Declared->getParamDecl(I)->getType();
    Hole Param = tee(paramHoles(K, Objects, Declared, First + I, Where), Where);
    // A class-type parameter is an object of its own, built by the caller
    // from the argument: where the summary sends its value is not where it
    // is built.
    if (T->isRecordType() && Param.Derefs == 0 && Param.Dst != G.discard() &&
        Param.Dst->Kind != LocationKind::Temporary) {
      Location *Object = temporary(Args[I]);
      G.flow(Param, Object);
      Param = {Object, 0, nullptr};
    }
    initialize(Param, Args[I], T);
  }
  ExtraArguments();

  if (Definition)
    if (auto It = Summaries.find(Definition->getCanonicalDecl());
        It != Summaries.end() && It->second.ResultEscapes && K.Derefs == 0 &&
        K.Dst != G.discard())
      G.forceEscape(K.Dst, "returned object's address escapes");
}

void Walker::call(Hole K, const CallExpr *E) {
  const FunctionDecl *Callee = staticCallee(E);
  llvm::ArrayRef<const Expr *> Args(E->getArgs(), E->getNumArgs());

  // The object argument: `obj.f()` passes &obj, `p->f()` passes p.
  const Expr *Object = nullptr;
  bool ObjectIsPointer = false;
  if (const auto *Member = dyn_cast<CXXMemberCallExpr>(E)) {
    Object = Member->getImplicitObjectArgument();
    if (const auto *ME =
            dyn_cast<MemberExpr>(Member->getCallee()->IgnoreParens()))
      ObjectIsPointer = ME->isArrow();
    else // (obj.*pmf)(...), (p->*pmf)(...)
      ObjectIsPointer = Object && Object->getType()->isPointerType();
  } else if (isa<CXXOperatorCallExpr>(E) && Callee &&
             hasThisParameter(Callee)) {
    Object = Args.front();
    Args = Args.drop_front();
  } else if (const auto *Member =
                 dyn_cast<MemberExpr>(E->getCallee()->IgnoreParens())) {
    discard(Member->getBase()); // obj.staticFunction()
  }
  auto This = [&](Hole H) {
    if (!Object)
      return;
    if (ObjectIsPointer)
      value(H, Object);
    else
      address(H, Object);
  };

  if (!Callee) {
    if (!isa<CXXMemberCallExpr>(E))
      discard(E->getCallee());
    return callUnknown(E, "call parameter", This, Args, E->getDirectCallee());
  }

  if (std::optional<LibraryEffect> Effect = libraryEffect(Callee))
    return libraryCall(K, E, *Effect, This, Args);

  // Global operator new and delete, like malloc and free, keep nothing.
  if (Callee->isReplaceableGlobalAllocationFunction()) {
    for (const Expr *Arg : Args)
      discard(Arg);
    return;
  }

  switch (classifyRuntimeCall(Callee)) {
  case RuntimeCall::GoNew:
    return goNew(K, E, Callee);
  case RuntimeCall::Go: {
    // Go's go statement: the function and its arguments are copied (decayed,
    // as std::thread does) into the new goroutine, so their values outlive
    // the caller -- what a pointer argument points to, a lambda's closure --
    // but not the variables named as arguments themselves.
    Hole Heap = G.note(G.heapHole(), E, E->getBeginLoc(), "go statement");
    This(G.discardHole());
    for (const Expr *Arg : Args)
      decayCopy(Heap, Arg);
    return;
  }
  case RuntimeCall::ChanSend: {
    This(G.discardHole());
    for (const Expr *Arg : Args)
      value(G.note(G.heapHole(), E, E->getBeginLoc(), "send"), Arg);
    return;
  }
  case RuntimeCall::None:
    break;
  }

  // A trivial copy or move assignment copies the object's contents.
  if (const auto *Method = dyn_cast<CXXMethodDecl>(Callee);
      Method && Method->isTrivial() && Object && !ObjectIsPointer &&
      Args.size() == 1 &&
      (Method->isCopyAssignmentOperator() ||
       Method->isMoveAssignmentOperator())) {
    assign(Object, Args.front(), E);
    return address(K, Object);
  }
  callFunction(K, Callee, E, This,
               Object ? exactObject(Object, ObjectIsPointer) : nullptr, Args);
}

void Walker::decayCopy(Hole K, const Expr *Arg) {
  // A class copied by its own constructor copies what the constructor
  // copies (a string does not copy the pointer to its own small buffer).
  const auto *Class = Arg->getType()->getAsCXXRecordDecl();
  const CXXConstructorDecl *Copy = nullptr;
  if (Class && Class->hasDefinition() && K.Derefs == 0)
    for (const CXXConstructorDecl *Ctor : Class->ctors())
      if (!Ctor->isDeleted() &&
          (Arg->isLValue() ? Ctor->isCopyConstructor()
                           : Ctor->isMoveConstructor() ||
                                 (!Copy && Ctor->isCopyConstructor())))
        Copy = Ctor;
  if (!Copy || Copy->isTrivial())
    return value(K, Arg);
  callFunction(K, Copy, Arg, [&](Hole This) { G.flow(This.shift(-1), K.Dst); },
               K.Dst, {Arg});
}

void Walker::libraryCall(Hole K, const CallExpr *E, const LibraryEffect &Effect,
                         ArgumentFn This, llvm::ArrayRef<const Expr *> Args) {
  This(G.discardHole());
  for (int I = 0; I < int(Args.size()); ++I) {
    const Expr *Arg = Args[I];
    if (I == Effect.Returned) {
      // A reference result holds the address it was given.
      Arg->isGLValue() ? address(K, Arg) : value(K, Arg);
    } else if (I == Effect.Copied) {
      // Characters and other pointer-free data carry no address.
      QualType Source = Arg->IgnoreParenImpCasts()->getType();
      bool PointerFree = Source->isPointerType() &&
                         !Source->getPointeeType()->isVoidType() &&
                         !hasPointers(Source->getPointeeType());
      value(PointerFree ? G.discardHole()
                        : G.note(G.heapHole().shift(1), E, E->getBeginLoc(),
                                 "copied memory"),
            Arg);
    } else if (I == Effect.Stored && Effect.StoredInto < int(Args.size())) {
      Location *Into = exactObject(Args[Effect.StoredInto], true);
      value(Into ? Hole{Into, 0, nullptr}
                 : G.note(G.heapHole(), E, E->getBeginLoc(), "call parameter"),
            Arg);
    } else if (Effect.OthersEscape) {
      Hole Heap = G.note(G.heapHole(), E, E->getBeginLoc(), "call parameter");
      Arg->isGLValue() ? address(Heap, Arg) : value(Heap, Arg);
    } else {
      discard(Arg);
    }
  }
}

void Walker::construct(Location *Object, const CXXConstructExpr *E,
                       ArgumentFn This) {
  const CXXConstructorDecl *Ctor = E->getConstructor();
  llvm::ArrayRef<const Expr *> Args(E->getArgs(), E->getNumArgs());
  Hole Into{Object, 0, nullptr};
  if (Ctor->isTrivial()) {
    // Nothing to run: a trivial copy or move copies the source's contents.
    for (const Expr *Arg : Args)
      value(Into, Arg);
    return;
  }
  callFunction(Into, Ctor, E, This, Object, Args);
}

void Walker::destroy(Location *Object, QualType T, const Expr *Where) {
  const CXXDestructorDecl *Dtor = destructorFor(T);
  if (!Dtor)
    return;
  callFunction(G.discardHole(), Dtor, Where,
               [&](Hole This) { G.flow(This.shift(-1), Object); }, Object, {});
}

void Walker::goNew(Hole K, const CallExpr *E, const FunctionDecl *Callee) {
  QualType T = Callee->getTemplateSpecializationArgs()->get(0).getAsType();
  Location *Object = G.newLocation(LocationKind::Allocation, Fn, LoopDepth);
  Object->Site = E;
  Object->Label = goNewLabel(E, T, Ctx);
  if (!T->isIncompleteType() && !T->isDependentType())
    Object->Size = Ctx.getTypeSizeInChars(T).getQuantity();
  if (Object->Size > MaxImplicitStackVarSize)
    G.forceEscape(Object, "too large for stack");

  // Build the object as go_new's placement new does, from the call's
  // arguments: they are forwarded one to one.
  llvm::ArrayRef<const Expr *> Args(E->getArgs(), E->getNumArgs());
  const CXXNewExpr *New = goNewPlacement(Callee);
  const CXXConstructExpr *Construct = New ? New->getConstructExpr() : nullptr;
  if (Construct && !Construct->getConstructor()->isTrivial()) {
    callFunction(
        {Object, 0, nullptr}, Construct->getConstructor(), E,
        [&](Hole This) { G.flow(This.shift(-1), Object); }, Object, Args);
  } else {
    for (const Expr *Arg : Args)
      value({Object, 0, nullptr}, Arg);
  }
  G.flow(G.note(K, E, E->getBeginLoc(), "go_new").shift(-1), Object);
}

void Walker::lambda(Hole K, const LambdaExpr *E) {
  const CXXMethodDecl *CallOp = E->getCallOperator();
  Location *Closure = G.newLocation(LocationKind::Closure, Fn, LoopDepth);
  Closure->Site = E;
  Closure->Label = "lambda";
  const CXXRecordDecl *Class = E->getLambdaClass();
  if (!Class->isDependentType())
    Closure->Size = Ctx.getTypeSizeInChars(QualType(Class->getTypeForDecl(), 0))
                        .getQuantity();
  if (Closure->Size > MaxImplicitStackVarSize)
    G.forceEscape(Closure, "too large for stack");

  // Captures: by reference takes the address, by value copies.
  auto Field = Class->field_begin();
  auto Capture = E->capture_begin();
  for (const Expr *Init : E->capture_inits()) {
    if (Field == Class->field_end())
      break;
    llvm::StringRef Name;
    if (Capture != E->capture_end() && Capture->capturesVariable())
      Name = Capture->getCapturedVar()->getName();
    else if (Capture != E->capture_end() && Capture->capturesThis())
      Name = "this";
    if (Init)
      initialize(G.note({Closure, 0, nullptr}, Init, Init->getBeginLoc(),
                        "captured by a closure", Name),
                 Init, Field->getType());
    ++Field;
    if (Capture != E->capture_end())
      ++Capture;
  }

  // The lambda's value stands for its closure object (a Go func value).
  G.flow(G.note(K, E, E->getBeginLoc(), "lambda").shift(-1), Closure);

  llvm::SmallVector<const FunctionDecl *, 2> Bodies;
  if (const FunctionTemplateDecl *Template =
          CallOp->getDescribedFunctionTemplate())
    for (const FunctionDecl *Specialization : Template->specializations())
      Bodies.push_back(Specialization);
  else
    Bodies.push_back(CallOp);
  for (const FunctionDecl *Body : Bodies) {
    if (!Body->getBody() || Body->isDependentContext())
      continue;
    if (!frameOf(Body))
      declareFunction(Body);
    G.addClosure(Body, {Fn, Closure, frameOf(Body)->Result});
    walkFunction(Body);
  }
}

} // namespace gostack::escape
