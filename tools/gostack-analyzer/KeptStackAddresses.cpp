//===-- KeptStackAddresses.cpp - Stack addresses kept across moves --------===//
//
// gostack.StackAddressAcrossManagedCall and gostack.SetjmpInGoroutine: the
// cgo rule (CONTRACT section 7), path by path. Unmanaged code keeps an
// address in the goroutine's stack where the stack copier does not adjust
// it -- a pointer in a global or a heap object, an element of a standard
// container (its buffer is in the heap), a jmp_buf outside the stack filled
// by setjmp -- then calls a managed function, whose stack check may move
// the stack, then uses the copy: it points into the freed old stack.
//
//   int *kept;                      // a global
//   void unmanaged() {
//     int local = 0;
//     kept = &local;                // note: stored outside the stack
//     managedWork();                // note: may move the stack
//     *kept += 1;                   // warning: the copy is stale
//   }
//
// A copy overwritten before the call, a use before it, a managed call
// inside gostack::systemstack (the thread's own stack, which never moves)
// and a stack address that stays in the stack are all fine. Stores made by
// managed code are the plugin's: it moves the variable to the heap.
//
// Run: clang++ --analyze -Xclang -load -Xclang libgostack-analyzer.so
//        -Xclang -analyzer-checker=gostack file.cpp
//
//===----------------------------------------------------------------------===//

#include "Boundary.h"

#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/Checker.h"
#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/ProgramStateTrait.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace clang::ento;

namespace gostack::analyzer {
namespace {

/// A copy of a stack address kept outside the stack.
struct KeptCopy {
  enum KindType { Pointer, Container, JumpBuffer };
  KindType Kind;
  /// What it points into (for a jmp_buf: null, the frame that saved it).
  const MemRegion *Target;
  const StackFrameContext *Frame;
  /// The managed function called since, which may have moved the stack.
  const FunctionDecl *CrossedBy;

  bool operator==(const KeptCopy &Other) const {
    return Kind == Other.Kind && Target == Other.Target &&
           Frame == Other.Frame && CrossedBy == Other.CrossedBy;
  }
  void Profile(llvm::FoldingSetNodeID &ID) const {
    ID.AddInteger(Kind);
    ID.AddPointer(Target);
    ID.AddPointer(Frame);
    ID.AddPointer(CrossedBy);
  }
};

} // namespace
} // namespace gostack::analyzer

// Where each copy is kept (a variable, field, container or jmp_buf).
REGISTER_MAP_WITH_PROGRAMSTATE(KeptCopies, const clang::ento::MemRegion *,
                               gostack::analyzer::KeptCopy)

namespace gostack::analyzer {
namespace {

/// The standard containers' members that store their argument.
bool storesArgument(StringRef Method) {
  return llvm::StringSwitch<bool>(Method)
      .Cases("push_back", "emplace_back", "push_front", "emplace_front", true)
      .Cases("insert", "emplace", "push", "assign", "emplace_hint", true)
      .Cases("insert_or_assign", "try_emplace", true)
      .Default(false);
}

const CXXRecordDecl *standardClassOf(const CallEvent &Call) {
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(Call.getDecl());
  if (!Method || !Method->getParent()->isInStdNamespace())
    return nullptr;
  return Method->getParent();
}

/// The frame \p StackRegion belongs to.
const StackFrameContext *frameOf(const MemRegion *StackRegion) {
  return cast<StackSpaceRegion>(StackRegion->getMemorySpace())->getStackFrame();
}

/// The value argument \p I passes: for a reference parameter, the value of
/// the object it binds to (`push_back(&x)` binds a temporary holding &x).
SVal argumentValue(const CallEvent &Call, unsigned I, CheckerContext &C) {
  SVal Value = Call.getArgSVal(I);
  const Decl *Callee = Call.getDecl();
  const auto *FD = dyn_cast_or_null<FunctionDecl>(Callee);
  if (!FD || I >= FD->getNumParams() ||
      !FD->getParamDecl(I)->getType()->isReferenceType())
    return Value;
  const MemRegion *Bound = Value.getAsRegion();
  QualType T = FD->getParamDecl(I)->getType().getNonReferenceType();
  if (!Bound || !T->isPointerType())
    return UnknownVal();
  return C.getState()->getSVal(Bound, T);
}

/// The container a member call is made on, as written ('pointers').
std::string describeContainer(const CXXInstanceCall &Call,
                              const MemRegion *Container) {
  const Expr *Object = nullptr;
  if (const auto *Member =
          dyn_cast_or_null<CXXMemberCallExpr>(Call.getOriginExpr()))
    Object = Member->getImplicitObjectArgument();
  else if (const auto *Operator =
               dyn_cast_or_null<CXXOperatorCallExpr>(Call.getOriginExpr()))
    Object = Operator->getArg(0);
  if (!Object)
    return describe(Container);
  std::string Text;
  llvm::raw_string_ostream Out(Text);
  Object->IgnoreImplicit()->printPretty(
      Out, nullptr,
      PrintingPolicy(
          Call.getState()->getStateManager().getContext().getLangOpts()));
  return "'" + Text + "'";
}

enum CheckKind { StackAddressCheck, SetjmpCheck, CheckKinds };

class KeptStackAddressChecker
    : public Checker<check::Bind, check::PreCall, check::Location,
                     check::EndFunction> {
public:
  bool Enabled[CheckKinds] = {};
  CheckerNameRef Names[CheckKinds];
  mutable std::unique_ptr<BugType> Bugs[CheckKinds];
  Boundary Facts;

  void checkBind(SVal Location, SVal Value, const Stmt *S,
                 CheckerContext &C) const;
  void checkPreCall(const CallEvent &Call, CheckerContext &C) const;
  void checkLocation(SVal Location, bool IsLoad, const Stmt *S,
                     CheckerContext &C) const;
  void checkEndFunction(const ReturnStmt *, CheckerContext &C) const;

private:
  const BugType &bug(CheckKind Kind) const {
    if (!Bugs[Kind])
      Bugs[Kind] = std::make_unique<BugType>(
          Names[Kind],
          Kind == StackAddressCheck ? "Stack address kept across a move"
                                    : "jmp_buf kept across a move",
          "gostack");
    return *Bugs[Kind];
  }
  static CheckKind checkOf(const KeptCopy &Copy) {
    return Copy.Kind == KeptCopy::JumpBuffer ? SetjmpCheck : StackAddressCheck;
  }
  void keep(const MemRegion *Where, KeptCopy Copy, StringRef What,
            CheckerContext &C) const;
  void crossAll(const FunctionDecl *Callee, CheckerContext &C) const;
  void report(const KeptCopy &Copy, const std::string &Where, const Stmt *S,
              CheckerContext &C) const;
  void reportLend(const MemRegion *Target, const std::string &Where,
                  const Stmt *S, CheckerContext &C) const;
};

void KeptStackAddressChecker::keep(const MemRegion *Where, KeptCopy Copy,
                                   StringRef What, CheckerContext &C) const {
  if (!Enabled[checkOf(Copy)])
    return;
  ProgramStateRef State = C.getState()->set<KeptCopies>(Where, Copy);
  const BugType *Bug = &bug(checkOf(Copy));
  std::string Note = What.str();
  C.addTransition(State, C.getNoteTag([Bug, Note](PathSensitiveBugReport &R) {
    return &R.getBugType() == Bug ? Note : std::string();
  }));
}

void KeptStackAddressChecker::checkBind(SVal Location, SVal Value,
                                        const Stmt *S,
                                        CheckerContext &C) const {
  const MemRegion *Where = Location.getAsRegion();
  if (!Where)
    return;
  ProgramStateRef State = C.getState();
  bool WasKept = State->contains<KeptCopies>(Where);
  const MemRegion *Target = stackRegionOf(Value, C);
  if (Target && outsideStack(Where) && Facts.inManagedFrame(C)) {
    reportLend(Target, describe(Where), S, C);
    return;
  }
  if (Target && outsideStack(Where) && !Facts.inManagedFrame(C)) {
    keep(Where, {KeptCopy::Pointer, Target, frameOf(Target), nullptr},
         "Address of " + describe(Target) +
             ", in the goroutine's stack, stored in " + describe(Where) +
             ", which the stack copier does not adjust",
         C);
    return;
  }
  // Overwritten: the copy is gone.
  if (WasKept)
    C.addTransition(State->remove<KeptCopies>(Where));
}

void KeptStackAddressChecker::crossAll(const FunctionDecl *Callee,
                                       CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  bool Crossed = false;
  for (auto [Where, Copy] : State->get<KeptCopies>()) {
    if (Copy.CrossedBy)
      continue;
    // Still the same address there (an opaque call may have changed it).
    const MemRegion *Held = State->getSVal(Where).getAsRegion();
    if (Copy.Kind == KeptCopy::Pointer && Held &&
        Held->getBaseRegion() != Copy.Target) {
      State = State->remove<KeptCopies>(Where);
      continue;
    }
    Copy.CrossedBy = Callee;
    State = State->set<KeptCopies>(Where, Copy);
    Crossed = true;
  }
  if (!Crossed)
    return;
  std::string Note = "Call to managed function '" +
                     Callee->getQualifiedNameAsString() +
                     "', whose stack check may move the goroutine's stack";
  C.addTransition(State, C.getNoteTag([this, Note](PathSensitiveBugReport &R) {
    for (const auto &Bug : Bugs)
      if (Bug && &R.getBugType() == Bug.get())
        return Note;
    return std::string();
  }));
}

void KeptStackAddressChecker::checkPreCall(const CallEvent &Call,
                                           CheckerContext &C) const {
  ProgramStateRef State = C.getState();
  if (Call.isGlobalCFunction("setjmp") || Call.isGlobalCFunction("_setjmp") ||
      Call.isGlobalCFunction("sigsetjmp") ||
      Call.isGlobalCFunction("__sigsetjmp")) {
    const MemRegion *Buffer = Call.getArgSVal(0).getAsRegion();
    if (Buffer && outsideStack(Buffer->getBaseRegion()))
      keep(Buffer->getBaseRegion(),
           {KeptCopy::JumpBuffer, nullptr, C.getStackFrame(), nullptr},
           "The jmp_buf " + describe(Buffer->getBaseRegion()) +
               ", outside the goroutine's stack, saves the stack pointer",
           C);
    return;
  }
  if (Call.isGlobalCFunction("longjmp") || Call.isGlobalCFunction("_longjmp") ||
      Call.isGlobalCFunction("siglongjmp")) {
    if (const MemRegion *Buffer = Call.getArgSVal(0).getAsRegion())
      if (const KeptCopy *Copy =
              State->get<KeptCopies>(Buffer->getBaseRegion());
          Copy && Copy->CrossedBy)
        report(*Copy, describe(Buffer->getBaseRegion()), Call.getOriginExpr(),
               C);
    return;
  }
  if (const CXXRecordDecl *Class = standardClassOf(Call)) {
    // A constructor makes the container (and knows no object to keep in).
    const auto *Instance = dyn_cast<CXXInstanceCall>(&Call);
    if (!Instance)
      return;
    const CXXInstanceCall &Member = *Instance;
    const MemRegion *Container = Member.getCXXThisVal().getAsRegion();
    if (!Container)
      return;
    const KeptCopy *Copy = State->get<KeptCopies>(Container);
    const auto *Method = cast<CXXMethodDecl>(Call.getDecl());
    if (Copy && Copy->CrossedBy && !isa<CXXDestructorDecl>(Method) &&
        Method->getName() != "clear") {
      report(*Copy, describeContainer(Member, Container), Call.getOriginExpr(),
             C);
      return;
    }
    if (!Method->getIdentifier() || !storesArgument(Method->getName()))
      return;
    for (unsigned I = 0; I < Call.getNumArgs(); ++I) {
      const MemRegion *Target = stackRegionOf(argumentValue(Call, I, C), C);
      if (!Target)
        continue;
      if (Facts.inManagedFrame(C)) {
        reportLend(Target,
                   "the heap buffer of " + describeContainer(Member, Container),
                   Call.getOriginExpr(), C);
        return;
      }
      keep(Container, {KeptCopy::Container, Target, frameOf(Target), nullptr},
           "Address of " + describe(Target) +
               ", in the goroutine's stack, stored in the heap buffer of " +
               describeContainer(Member, Container) + " (" +
               Class->getName().str() + ")",
           C);
      return;
    }
    return;
  }
  if (State->get<KeptCopies>().isEmpty())
    return;
  if (const FunctionDecl *Callee = Facts.movingCallee(Call, C);
      Callee && !Boundary::mayPark(Callee))
    crossAll(Callee, C);
}

void KeptStackAddressChecker::checkLocation(SVal Location, bool IsLoad,
                                            const Stmt *S,
                                            CheckerContext &C) const {
  const MemRegion *Where = Location.getAsRegion();
  if (!IsLoad || !Where)
    return;
  const KeptCopy *Copy = C.getState()->get<KeptCopies>(Where);
  if (Copy && Copy->Kind == KeptCopy::Pointer && Copy->CrossedBy)
    report(*Copy, describe(Where), S, C);
}

void KeptStackAddressChecker::checkEndFunction(const ReturnStmt *,
                                               CheckerContext &C) const {
  // The frame's own addresses die with it (core.StackAddressEscape's case).
  ProgramStateRef State = C.getState();
  for (auto [Where, Copy] : State->get<KeptCopies>())
    if (Copy.Frame == C.getStackFrame())
      State = State->remove<KeptCopies>(Where);
  C.addTransition(State);
}

void KeptStackAddressChecker::report(const KeptCopy &Copy,
                                     const std::string &Where, const Stmt *S,
                                     CheckerContext &C) const {
  if (!Enabled[checkOf(Copy)])
    return;
  std::string Callee = Copy.CrossedBy->getQualifiedNameAsString();
  std::string Message;
  switch (Copy.Kind) {
  case KeptCopy::Pointer:
    Message = "The address of " + describe(Copy.Target) + " kept in " + Where +
              " is used after the call to managed function '" + Callee +
              "', which may have moved the goroutine's stack: it " +
              "points into the old stack";
    break;
  case KeptCopy::Container:
    Message = Where + " holds the address of " + describe(Copy.Target) +
              " and is used after the call to managed function '" + Callee +
              "', which may have moved the goroutine's stack: the element " +
              "points into the old stack";
    break;
  case KeptCopy::JumpBuffer:
    Message = "longjmp to " + Where + " after the call to managed function '" +
              Callee +
              "', which may have moved the goroutine's stack: it would jump " +
              "to the old stack (keep the jmp_buf in a local variable)";
    break;
  }
  emitBug(bug(checkOf(Copy)), Message, S, C);
}

/// A managed function keeps, outside the stack, the address of a variable
/// of an unmanaged caller -- which the analysis could not move (managed
/// callers' variables are in the heap by then): the run-time check's case
/// (docs/ANALYZER.md, "The run-time half"), seen at compile time.
void KeptStackAddressChecker::reportLend(const MemRegion *Target,
                                         const std::string &Where,
                                         const Stmt *S,
                                         CheckerContext &C) const {
  const auto *Owner =
      dyn_cast_or_null<FunctionDecl>(frameOf(Target)->getDecl());
  const auto *Keeper =
      dyn_cast_or_null<FunctionDecl>(C.getStackFrame()->getDecl());
  if (!Enabled[StackAddressCheck] || !Owner || !Keeper ||
      Facts.isManaged(Owner, C.getSourceManager()))
    return;
  emitBug(bug(StackAddressCheck),
          "Managed function '" + Keeper->getQualifiedNameAsString() +
              "' keeps the address of " + describe(Target) +
              ", a variable of the unmanaged '" +
              Owner->getQualifiedNameAsString() + "', in " + Where +
              ": the runtime keeps it right at a cost, stopping the world at "
              "each stack move while it lives (declare it in managed code)",
          S, C);
}

} // namespace

void registerKeptStackAddressBase(CheckerManager &Manager) {
  auto *Checker = Manager.registerChecker<KeptStackAddressChecker>();
  Checker->Facts.configure(Checker, Manager.getAnalyzerOptions());
}

void registerKeptStackAddressChecks(CheckerManager &Manager, bool Setjmp) {
  auto *Checker = Manager.getChecker<KeptStackAddressChecker>();
  CheckKind Kind = Setjmp ? SetjmpCheck : StackAddressCheck;
  Checker->Enabled[Kind] = true;
  Checker->Names[Kind] = Manager.getCurrentCheckerName();
}

} // namespace gostack::analyzer
