//===-- Boundary.cpp - What the checkers know of the runtime --------------===//

#include "Boundary.h"

#include "frontend/ManagedFunctions.h"
#include "frontend/ThreadLocalWarnings.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"

using namespace clang;
using namespace clang::ento;

namespace gostack::analyzer {

void Boundary::configure(const CheckerBase *Checker,
                         const AnalyzerOptions &Options) {
  ManageAll = Options.getCheckerStringOption(Checker, "managed",
                                             /*SearchInParents=*/true) == "all";
}

bool Boundary::isManaged(const FunctionDecl *FD,
                         const SourceManager &SM) const {
  auto [It, Inserted] = Managed.try_emplace(FD, false);
  if (Inserted) {
    PluginOptions Options;
    Options.ManageAll = ManageAll;
    It->second = ManagedFunctions(Options, SM).isManaged(FD);
  }
  return It->second;
}

bool Boundary::inManagedFrame(CheckerContext &C) const {
  const auto *FD = dyn_cast_or_null<FunctionDecl>(
      C.getLocationContext()->getStackFrame()->getDecl());
  return FD && isManaged(FD, C.getSourceManager());
}

/// Whether \p E lies in the body of a lambda passed to gostack::systemstack.
static bool insideSystemStack(const Expr *E, ASTContext &Ctx) {
  DynTypedNodeList Parents = Ctx.getParents(*E);
  while (!Parents.empty()) {
    if (const auto *Lambda = Parents[0].get<LambdaExpr>()) {
      DynTypedNodeList Outer = Ctx.getParents(*Lambda);
      // The lambda, perhaps converted or copied, as a call's argument.
      while (!Outer.empty() && !Outer[0].get<CallExpr>() &&
             Outer[0].get<Expr>())
        Outer = Ctx.getParents(Outer[0]);
      if (!Outer.empty())
        if (const auto *Call = Outer[0].get<CallExpr>())
          if (const FunctionDecl *Callee = Call->getDirectCallee())
            if (Callee->getQualifiedNameAsString() == "gostack::systemstack")
              return true;
    }
    Parents = Ctx.getParents(Parents[0]);
  }
  return false;
}

const FunctionDecl *Boundary::movingCallee(const CallEvent &Call,
                                           CheckerContext &C) const {
  const auto *Callee = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
  if (!Callee)
    return nullptr;
  // Inside a moving call the analyzer inlined, the call itself counted.
  for (const LocationContext *Frame = C.getStackFrame(); Frame;
       Frame = Frame->getParent())
    if (const auto *Outer = dyn_cast_or_null<FunctionDecl>(Frame->getDecl());
        Outer && Frame->getParent() &&
        (mayPark(Outer) || isManaged(Outer, C.getSourceManager())))
      return nullptr;
  if (mayPark(Callee))
    return Callee;
  if (!isManaged(Callee, C.getSourceManager()))
    return nullptr;
  const Expr *Origin = Call.getOriginExpr();
  if (!Origin)
    return Callee;
  auto [It, Inserted] = OnSystemStack.try_emplace(Origin, false);
  if (Inserted)
    It->second = insideSystemStack(Origin, C.getASTContext());
  return It->second ? nullptr : Callee;
}

bool Boundary::mayPark(const FunctionDecl *Callee) {
  return markedMayPark(Callee);
}

const MemRegion *stackRegionOf(SVal V, CheckerContext &C) {
  const MemRegion *Region = V.getAsRegion();
  if (!Region)
    return nullptr;
  Region = Region->getBaseRegion();
  const auto *Space = dyn_cast<StackSpaceRegion>(Region->getMemorySpace());
  if (!Space)
    return nullptr;
  // Live: its frame is the current one or a caller of it.
  const StackFrameContext *Frame = Space->getStackFrame();
  const StackFrameContext *Current = C.getStackFrame();
  if (Frame != Current && !Frame->isParentOf(Current))
    return nullptr;
  return Region;
}

bool allocatesGCObject(const FunctionDecl *Callee) {
  std::string Name = Callee->getQualifiedNameAsString();
  return Name == "gostack::go_new" || Name == "gostack::detail::gc_alloc";
}

/// Whether \p Region lies in what an opaque go_new or gc_alloc returned
/// (the analyzer's own heap is new's and malloc's).
static bool inGCObject(const MemRegion *Region) {
  const auto *Object = dyn_cast<SymbolicRegion>(Region->getBaseRegion());
  const auto *Conjured =
      Object ? dyn_cast<SymbolConjured>(Object->getSymbol()) : nullptr;
  const auto *Call =
      Conjured ? dyn_cast_or_null<CallExpr>(Conjured->getStmt()) : nullptr;
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return Callee && allocatesGCObject(Callee);
}

bool outsideStack(const MemRegion *Location) {
  return isa<GlobalsSpaceRegion, HeapSpaceRegion>(Location->getMemorySpace()) ||
         inGCObject(Location);
}

void emitBug(const BugType &Bug, const std::string &Message, const Stmt *S,
             CheckerContext &C, ProgramStateRef State) {
  ExplodedNode *Node = C.generateNonFatalErrorNode(State);
  if (!Node)
    return;
  auto Report = std::make_unique<PathSensitiveBugReport>(Bug, Message, Node);
  if (S)
    Report->addRange(S->getSourceRange());
  C.emitReport(std::move(Report));
}

std::string describe(const MemRegion *Region) {
  std::string Name = Region->getDescriptiveName(/*UseQuotes=*/true);
  if (!Name.empty())
    return Name;
  std::string Object = inGCObject(Region) ? "a GC object"
                       : isa<HeapSpaceRegion>(Region->getMemorySpace())
                           ? "a heap object"
                           : "an object";
  if (const auto *Field = dyn_cast<FieldRegion>(Region))
    return "field '" + Field->getDecl()->getNameAsString() + "' of " + Object;
  return Object;
}

} // namespace gostack::analyzer
