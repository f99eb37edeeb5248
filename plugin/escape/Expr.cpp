//===-- Expr.cpp - Expressions: where each value and address flows --------===//
//
// Two walks cover every expression:
//
//  - value(K, E): E's value flows into hole K. `p` flows p; `&x` flows x
//    with one address-of; a load from a glvalue (lvalue-to-rvalue) flows the
//    object's contents, i.e. its address dereferenced once.
//  - address(K, E): for a glvalue E, the address of the object it denotes
//    flows into K. `x` flows x with one address-of; `*p` and `p->f` flow p;
//    `a[i]` flows the base pointer (indexing stays in the same object);
//    `s.f` flows the address of s (fields are not distinguished).
//
// C++ references hold addresses: binding `T &r = x` is `r = &x`, and using r
// dereferences it. A value with no pointers in it cannot carry an address,
// so it flows nowhere (but its operands are still walked).
//
// Deliberately not distinguished: fields of an object (x.f and x.g are x),
// elements of an array, the order of statements (flow-insensitive), and
// stores through pointers, which go to the heap as in Go.
//
//===----------------------------------------------------------------------===//

#include "escape/Callees.h"
#include "escape/LibraryFunctions.h"
#include "escape/Types.h"
#include "escape/Walker.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprConcepts.h"

using namespace clang;

namespace gostack::escape {

/// Strips the nodes that only wrap another expression, with the same value
/// and address.
static const Expr *skipTransparent(const Expr *E) {
  for (;;) {
    E = E->IgnoreParens();
    if (const auto *Full = dyn_cast<FullExpr>(E))
      E = Full->getSubExpr();
    else if (const auto *Subst = dyn_cast<SubstNonTypeTemplateParmExpr>(E))
      E = Subst->getReplacement();
    else if (const auto *Arg = dyn_cast<CXXDefaultArgExpr>(E))
      E = Arg->getExpr();
    else if (const auto *Init = dyn_cast<CXXDefaultInitExpr>(E))
      E = Init->getExpr();
    else if (const auto *Opaque = dyn_cast<OpaqueValueExpr>(E);
             Opaque && Opaque->getSourceExpr())
      E = Opaque->getSourceExpr();
    else
      return E;
  }
}

static bool isUnionWithPointers(const RecordDecl *Record) {
  return Record && Record->isUnion() &&
         hasPointers(QualType(Record->getTypeForDecl(), 0));
}

void Walker::unmodeled(const Stmt *S, llvm::StringRef Why) {
  for (const Stmt *Child : S->children()) {
    const auto *E = dyn_cast_or_null<Expr>(Child);
    if (!E)
      continue;
    Hole Heap = G.note(G.heapHole(), E, E->getBeginLoc(), Why);
    // The address of a glvalue escaping covers its contents escaping too.
    if (E->isGLValue())
      address(Heap, E);
    else
      value(Heap, E);
  }
}

Location *Walker::temporary(const Expr *Site) {
  Location *T = G.newLocation(LocationKind::Temporary, Fn, LoopDepth);
  T->Site = Site;
  return T;
}

Location *Walker::objectFor(Hole K, const Expr *Site) {
  bool Exact = K.Derefs == 0 && K.Dst != G.discard() &&
               K.Dst->Kind != LocationKind::Heap;
  if (Exact)
    return K.Dst;
  Location *T = temporary(Site);
  G.flow(K, T);
  return T;
}

void Walker::initialize(Hole K, const Expr *Init, QualType T) {
  if (T->isReferenceType())
    address(K, Init);
  else
    value(K, Init);
}

void Walker::value(Hole K, const Expr *E) {
  E = skipTransparent(E);
  // Only instantiated code is walked; a dependent expression has no type.
  if (E->isInstantiationDependent())
    return;
  // A constructor receives its object's address, pointers or not.
  if (!hasPointers(E->getType()) && K.Derefs >= 0 && !isa<CXXConstructExpr>(E))
    K = G.discardHole();
  // A glvalue's value is its object's contents: its address, dereferenced.
  if (E->isGLValue())
    return address(K.shift(1), E);

  if (const auto *Cast = dyn_cast<CastExpr>(E))
    return castValue(K, Cast);
  if (const auto *Unary = dyn_cast<UnaryOperator>(E))
    return unaryValue(K, Unary);
  if (const auto *Binary = dyn_cast<BinaryOperator>(E))
    return binaryValue(K, Binary);
  if (const auto *Cond = dyn_cast<AbstractConditionalOperator>(E)) {
    discard(Cond->getCond());
    value(K, Cond->getTrueExpr());
    return value(K, Cond->getFalseExpr());
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return call(K, Call);
  if (const auto *Construct = dyn_cast<CXXConstructExpr>(E)) {
    Location *Object = objectFor(K, E);
    return construct(Object, Construct,
                     [&](Hole This) { G.flow(This.shift(-1), Object); });
  }
  if (const auto *Bind = dyn_cast<CXXBindTemporaryExpr>(E)) {
    Location *Object = objectFor(K, E);
    value({Object, 0, nullptr}, Bind->getSubExpr());
    return destroy(Object, Bind->getType(), E);
  }
  if (const auto *List = dyn_cast<InitListExpr>(E))
    return initList(K, List);
  if (const auto *Lambda = dyn_cast<LambdaExpr>(E))
    return lambda(K, Lambda);
  if (const auto *Rewritten = dyn_cast<CXXRewrittenBinaryOperator>(E))
    return value(K, Rewritten->getSemanticForm());
  if (isa<CXXThisExpr>(E))
    return thisValue(K, E);
  if (const auto *Throw = dyn_cast<CXXThrowExpr>(E)) {
    if (const Expr *Thrown = Throw->getSubExpr())
      value(G.note(G.heapHole(), E, E->getBeginLoc(), "throw"), Thrown);
    return;
  }
  if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
    // What a new-expression stores into its object -- in the malloc heap, or
    // through the pointer of a placement new -- escapes.
    Hole Heap = G.note(G.heapHole(), E, E->getBeginLoc(), "new");
    if (const Expr *Size = New->getArraySize().value_or(nullptr))
      discard(Size);
    if (const Expr *Init = New->getInitializer())
      value(Heap, Init);
    // ::new (p) T yields p; another placement form is a call we cannot see.
    const FunctionDecl *OperatorNew = New->getOperatorNew();
    bool StandardPlacement =
        OperatorNew && OperatorNew->isReservedGlobalPlacementOperator();
    for (const Expr *Placement : New->placement_arguments())
      value(StandardPlacement ? K : Heap, Placement);
    return;
  }
  if (const auto *Delete = dyn_cast<CXXDeleteExpr>(E)) {
    const Expr *Arg = Delete->getArgument();
    if (const CXXDestructorDecl *Dtor =
            destructorFor(Delete->getDestroyedType()))
      return callFunction(G.discardHole(), Dtor, E,
                          [&](Hole This) { value(This, Arg); }, nullptr, {});
    return discard(Arg);
  }
  if (const auto *Loop = dyn_cast<ArrayInitLoopExpr>(E))
    return value(K, Loop->getCommonExpr());
  if (const auto *List = dyn_cast<CXXStdInitializerListExpr>(E))
    return value(K, List->getSubExpr());
  if (const auto *StmtE = dyn_cast<StmtExpr>(E)) {
    const CompoundStmt *Body = StmtE->getSubStmt();
    for (const Stmt *Child : Body->body())
      if (Child != Body->body_back())
        stmt(Child);
    if (const auto *Last = dyn_cast_or_null<Expr>(Body->body_back()))
      value(K, Last);
    return;
  }
  if (const auto *Paren = dyn_cast<ParenListExpr>(E)) {
    for (unsigned I = 0; I < Paren->getNumExprs(); ++I)
      value(K, Paren->getExpr(I));
    return;
  }
  if (const auto *ParenInit = dyn_cast<CXXParenListInitExpr>(E)) {
    for (const Expr *Part : ParenInit->getInitExprs())
      value(K, Part);
    return;
  }
  // Constants, literals, sizeof, type traits: no flows, nothing inside.
  if (isa<IntegerLiteral, FloatingLiteral, CharacterLiteral, StringLiteral,
          CXXBoolLiteralExpr, CXXNullPtrLiteralExpr, ImaginaryLiteral,
          FixedPointLiteral, UnaryExprOrTypeTraitExpr, CXXNoexceptExpr,
          TypeTraitExpr, ArrayTypeTraitExpr, ExpressionTraitExpr,
          SizeOfPackExpr, ImplicitValueInitExpr, CXXScalarValueInitExpr,
          ArrayInitIndexExpr, PredefinedExpr, SourceLocExpr, GNUNullExpr,
          CXXPseudoDestructorExpr, DeclRefExpr, NoInitExpr, AddrLabelExpr,
          OffsetOfExpr, CXXTypeidExpr, ConceptSpecializationExpr, RequiresExpr>(
          E))
    return;
  if (isa<CoroutineSuspendExpr>(E))
    return unmodeled(E, "coroutine");
  if (isa<AtomicExpr>(E))
    return unmodeled(E, "atomic builtin");
  if (isa<VAArgExpr>(E))
    return unmodeled(E, "variadic argument");
  unmodeled(E, "expression not modelled");
}

void Walker::castValue(Hole K, const CastExpr *E) {
  const Expr *Sub = E->getSubExpr();
  switch (E->getCastKind()) {
  case CK_LValueToRValue:
    return address(K.shift(1), Sub);
  case CK_ArrayToPointerDecay:
    return address(K, Sub);
  case CK_PointerToIntegral:
  case CK_PointerToBoolean:
    if (E->getCastKind() == CK_PointerToIntegral)
      // An address hidden in an integer is lost to the analysis.
      return value(
          G.note(G.heapHole(), E, E->getBeginLoc(), "pointer-to-integer cast"),
          Sub);
    return discard(Sub);
  case CK_ToUnion:
    if (hasPointers(Sub->getType()))
      return value(
          G.note(G.heapHole(), E, E->getBeginLoc(), "union holding pointers"),
          Sub);
    return discard(Sub);
  case CK_IntegralToPointer:
  case CK_FunctionToPointerDecay:
  case CK_BuiltinFnToFnPtr:
  case CK_NullToPointer:
  case CK_NullToMemberPointer:
    return discard(Sub);
  default:
    // Casts that keep a pointer a pointer (bitcast, base/derived, const,
    // reinterpret between pointers, user conversions) pass the value on.
    return value(K, Sub);
  }
}

void Walker::unaryValue(Hole K, const UnaryOperator *E) {
  const Expr *Sub = E->getSubExpr();
  switch (E->getOpcode()) {
  case UO_AddrOf:
    return address(G.note(K, E, E->getBeginLoc(), "address-of"), Sub);
  case UO_PostInc:
  case UO_PostDec:
    // p++ yields p's old value; the update stays within the same object.
    return value(K, Sub);
  default:
    return discard(Sub);
  }
}

void Walker::binaryValue(Hole K, const BinaryOperator *E) {
  const Expr *LHS = E->getLHS(), *RHS = E->getRHS();
  switch (E->getOpcode()) {
  case BO_Comma:
    discard(LHS);
    return value(K, RHS);
  case BO_Add:
  case BO_Sub:
    // Pointer arithmetic stays within the same object.
    if (LHS->getType()->isPointerType() && E->getType()->isPointerType()) {
      discard(RHS);
      return value(K, LHS);
    }
    if (RHS->getType()->isPointerType() && E->getType()->isPointerType()) {
      discard(LHS);
      return value(K, RHS);
    }
    discard(LHS);
    return discard(RHS);
  default:
    if (E->isAssignmentOp()) // in C, an assignment is a prvalue
      return assign(LHS, RHS, E), value(K, LHS);
    discard(LHS);
    return discard(RHS);
  }
}

void Walker::initList(Hole K, const InitListExpr *E) {
  if (E->isTransparent())
    return value(K, E->getInit(0));
  const RecordDecl *Record = E->getType()->getAsRecordDecl();
  if (isUnionWithPointers(Record))
    K = G.note(G.heapHole(), E, E->getBeginLoc(), "union holding pointers");
  // Field-insensitive: every element flows into the object. A reference
  // member is bound to the element's address.
  auto Field = Record ? Record->field_begin() : RecordDecl::field_iterator();
  unsigned Bases = 0;
  if (const auto *Class = dyn_cast_or_null<CXXRecordDecl>(Record))
    Bases = Class->getNumBases();
  for (unsigned I = 0; I < E->getNumInits(); ++I) {
    const Expr *Init = E->getInit(I);
    bool BindsReference = false;
    if (Record && I >= Bases && Field != Record->field_end()) {
      BindsReference = Field->getType()->isReferenceType();
      ++Field;
    }
    if (BindsReference)
      address(K, Init);
    else
      value(K, Init);
  }
  if (const Expr *Filler = E->getArrayFiller())
    value(K, Filler);
}

void Walker::variableAddress(Hole K, const ValueDecl *D, const Expr *Where) {
  if (const auto *Binding = dyn_cast<BindingDecl>(D)) {
    if (const Expr *Bound = Binding->getBinding())
      return address(K, Bound);
    return unmodeled(Where, "structured binding");
  }
  const auto *VD = dyn_cast<VarDecl>(D);
  if (!VD) // functions, enumerators, template parameter objects
    return;
  Location *L = nullptr;
  if (VD->hasGlobalStorage()) {
    L = G.heap();
  } else {
    auto It = Vars.find(VD);
    if (It == Vars.end()) {
      // Declared somewhere the walk did not declare it (an unmodelled
      // statement): give it a location now rather than lose its flows.
      declare(VD);
      It = Vars.find(VD);
    }
    L = It->second;
  }
  // A reference holds the address of its referent.
  if (VD->getType()->isReferenceType())
    return G.flow(K, L);
  G.flow(K.shift(-1), L);
}

Location *Walker::exactObject(const Expr *Object, bool IsPointer) const {
  // The pointer an array decays to points into the array.
  for (const Expr *E = Object->IgnoreParens(); IsPointer;) {
    const auto *Cast = dyn_cast<ImplicitCastExpr>(E);
    if (!Cast)
      break;
    if (Cast->getCastKind() == CK_ArrayToPointerDecay)
      return exactObject(Cast->getSubExpr(), false);
    E = Cast->getSubExpr()->IgnoreParens();
  }
  Object = Object->IgnoreParenImpCasts();
  // std::move(x), std::forward<T>(x), static_cast<T &&>(x): still x.
  if (const auto *Call = dyn_cast<CallExpr>(Object)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    std::optional<LibraryEffect> Effect =
        Callee ? libraryEffect(Callee) : std::nullopt;
    if (Effect && Effect->Returned == 0 && Call->getNumArgs() > 0 &&
        Callee->getBuiltinID() && Call->getArg(0)->isGLValue() == !IsPointer)
      return exactObject(Call->getArg(0), IsPointer);
    return nullptr;
  }
  if (const auto *Cast = dyn_cast<ExplicitCastExpr>(Object);
      Cast && (Cast->getCastKind() == CK_NoOp ||
               Cast->getCastKind() == CK_DerivedToBase ||
               Cast->getCastKind() == CK_UncheckedDerivedToBase))
    return exactObject(Cast->getSubExpr(), IsPointer);
  if (IsPointer) {
    if (isa<CXXThisExpr>(Object))
      return thisObject();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Object))
      return paramContent(Ref->getDecl()); // p, a pointer parameter
    if (const auto *Unary = dyn_cast<UnaryOperator>(Object);
        Unary && Unary->getOpcode() == UO_AddrOf)
      return exactObject(Unary->getSubExpr(), false);
    return nullptr;
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Object)) {
    const auto *VD = dyn_cast<VarDecl>(Ref->getDecl());
    if (!VD || VD->hasGlobalStorage())
      return nullptr;
    if (VD->getType()->isReferenceType())
      return paramContent(VD); // r, a reference parameter
    auto It = Vars.find(VD);
    return It == Vars.end() ? nullptr : It->second;
  }
  // A member of an object is in the object (fields are not distinguished).
  if (const auto *Member = dyn_cast<MemberExpr>(Object);
      Member && isa<FieldDecl>(Member->getMemberDecl()) &&
      !Member->getMemberDecl()->getType()->isReferenceType())
    return exactObject(Member->getBase(), Member->isArrow());
  if (const auto *Unary = dyn_cast<UnaryOperator>(Object);
      Unary && Unary->getOpcode() == UO_Deref)
    return exactObject(Unary->getSubExpr(), true);
  // p[i] is in the object p points into.
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(Object))
    return exactObject(Subscript->getBase(), true);
  return nullptr;
}

bool Walker::isConstructedObject(const Expr *Base) const {
  return ConstructedObject && isa<CXXThisExpr>(Base->IgnoreParenImpCasts());
}

void Walker::memberAddress(Hole K, const MemberExpr *E) {
  const Expr *Base = E->getBase();
  const ValueDecl *Member = E->getMemberDecl();
  if (isa<VarDecl>(Member)) { // a static data member
    discard(Base);
    return variableAddress(K, Member, E);
  }
  // A reference member's referent: the address stored in the object.
  if (Member->getType()->isReferenceType())
    K = K.shift(1);
  if (isConstructedObject(Base)) // inside a constructor: this->f
    return G.flow(K.shift(-1), ConstructedObject);
  if (E->isArrow())
    return value(G.note(K, E, E->getBeginLoc(), "dot of pointer"), Base);
  address(K, Base);
}

void Walker::address(Hole K, const Expr *E) {
  E = skipTransparent(E);
  if (E->isInstantiationDependent())
    return;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return variableAddress(K, Ref->getDecl(), E);
  if (const auto *Member = dyn_cast<MemberExpr>(E))
    return memberAddress(K, Member);
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(E)) {
    discard(Subscript->getIdx());
    return value(K, Subscript->getBase());
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(E)) {
    if (Unary->getOpcode() == UO_Deref)
      return value(G.note(K, E, E->getBeginLoc(), "indirection"),
                   Unary->getSubExpr());
    // ++p, --p: an lvalue; the update stays within the same object.
    return address(K, Unary->getSubExpr());
  }
  if (const auto *Binary = dyn_cast<BinaryOperator>(E)) {
    if (Binary->isAssignmentOp()) {
      assign(Binary->getLHS(), Binary->getRHS(), Binary);
      return address(K, Binary->getLHS());
    }
    if (Binary->getOpcode() == BO_Comma) {
      discard(Binary->getLHS());
      return address(K, Binary->getRHS());
    }
    if (Binary->isPtrMemOp()) { // obj.*pm: somewhere in obj
      discard(Binary->getRHS());
      if (Binary->getOpcode() == BO_PtrMemI)
        return value(K, Binary->getLHS());
      return address(K, Binary->getLHS());
    }
  }
  if (const auto *Cond = dyn_cast<AbstractConditionalOperator>(E)) {
    discard(Cond->getCond());
    address(K, Cond->getTrueExpr());
    return address(K, Cond->getFalseExpr());
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return call(K, Call); // a reference result holds the address
  if (const auto *Cast = dyn_cast<CastExpr>(E))
    return address(K, Cast->getSubExpr());
  if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E)) {
    Location *T = temporary(E);
    if (const auto *Extending =
            dyn_cast_or_null<VarDecl>(Temp->getExtendingDecl()))
      if (auto It = Vars.find(Extending); It != Vars.end())
        T->LoopDepth = It->second->LoopDepth;
    value({T, 0, nullptr}, Temp->getSubExpr());
    return G.flow(K.shift(-1), T);
  }
  if (const auto *Literal = dyn_cast<CompoundLiteralExpr>(E)) {
    Location *T = temporary(E);
    value({T, 0, nullptr}, Literal->getInitializer());
    return G.flow(K.shift(-1), T);
  }
  if (isa<StringLiteral, PredefinedExpr, CXXTypeidExpr>(E))
    return;                 // static storage
  if (isa<CXXThrowExpr>(E)) // `c ? x : throw e` is a glvalue
    return value(G.discardHole(), E);
  if (E->isPRValue()) { // a prvalue used as an object: a temporary
    Location *T = temporary(E);
    value({T, 0, nullptr}, E);
    return G.flow(K.shift(-1), T);
  }
  unmodeled(E, "expression not modelled");
}

Hole Walker::assignTarget(const Expr *LHS) {
  LHS = LHS->IgnoreParenNoopCasts(Ctx);
  if (const auto *Member = dyn_cast<MemberExpr>(LHS)) {
    const auto *Parent =
        dyn_cast<RecordDecl>(Member->getMemberDecl()->getDeclContext());
    if (isUnionWithPointers(Parent)) {
      discard(Member->getBase());
      return G.note(G.heapHole(), LHS, LHS->getBeginLoc(),
                    "union holding pointers");
    }
  }
  if (isa<DeclRefExpr>(LHS)) {
    const auto *VD = dyn_cast<VarDecl>(cast<DeclRefExpr>(LHS)->getDecl());
    if (VD && !VD->hasGlobalStorage() && !VD->getType()->isReferenceType() &&
        !Vars.count(VD))
      declare(VD);
  }
  // x = v, x.f = v, a[i] = v, *this = v, p->f = v, r.f = v: a store into
  // one known object (a local, or what `this` or a parameter denotes).
  if (Location *Object = exactObject(LHS, /*IsPointer=*/false)) {
    discardOperands(LHS);
    return {Object, 0, nullptr};
  }
  // Anything else is a store through a pointer: the heap, as in Go.
  discard(LHS);
  return G.heapHole();
}

void Walker::discardOperands(const Expr *Place) {
  Place = Place->IgnoreParenImpCasts();
  if (const auto *Member = dyn_cast<MemberExpr>(Place))
    return discardOperands(Member->getBase());
  if (const auto *Subscript = dyn_cast<ArraySubscriptExpr>(Place)) {
    discard(Subscript->getIdx());
    return discardOperands(Subscript->getBase());
  }
  if (const auto *Unary = dyn_cast<UnaryOperator>(Place))
    return discardOperands(Unary->getSubExpr());
}

void Walker::assign(const Expr *LHS, const Expr *RHS, const Stmt *Where) {
  Hole Target = assignTarget(LHS);
  value(G.note(Target, Where, Where->getBeginLoc(), "assign"), RHS);
}

} // namespace gostack::escape
