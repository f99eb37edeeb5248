//===-- ThreadLocalAcrossPark.cpp - thread_local after a thread change ----===//
//
// gostack.ThreadLocalAcrossPark: a goroutine that parks (GOSTACK_MAY_PARK:
// a channel operation, wait, yield) or calls a managed function (whose
// stack check may yield to preemption) may resume on another worker
// thread. A thread_local used after that is the other thread's copy -- and
// through an address taken before, the first thread's, which that thread
// may be using. The plugin warns about managed code (ThreadLocalWarnings);
// this checker follows unmanaged code's paths, across the functions it
// inlines:
//
//   thread_local int perThread;
//   void unmanaged(gostack::chan<int> &c) {
//     int *mine = &perThread;
//     c.recv();                     // note: may resume on another thread
//     *mine += 1;                   // warning: another thread's variable
//   }
//
// Per-goroutine state belongs in gostack::goroutine_local<T>.
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

using namespace clang;
using namespace clang::ento;

// The last call on the path that may have changed the goroutine's thread.
REGISTER_TRAIT_WITH_PROGRAMSTATE(ThreadChangedBy, const clang::FunctionDecl *)
// The thread_local variables already reported on the path.
REGISTER_SET_WITH_PROGRAMSTATE(ReportedThreadLocals, const clang::VarDecl *)

namespace gostack::analyzer {
namespace {

bool isRuntimeVariable(const VarDecl *Var) {
  for (const DeclContext *Context = Var->getDeclContext(); Context;
       Context = Context->getParent())
    if (const auto *Namespace = dyn_cast<NamespaceDecl>(Context);
        Namespace && Namespace->getName() == "gostack" &&
        Namespace->getParent()->isTranslationUnit())
      return true;
  return false;
}

class ThreadLocalAcrossParkChecker
    : public Checker<check::PreCall, check::Location> {
public:
  BugType Bug{this, "thread_local across a park", "gostack"};
  Boundary Facts;

  void checkPreCall(const CallEvent &Call, CheckerContext &C) const {
    // Only unmanaged code's uses are reported, so only its calls matter
    // (calls inside a moving callee are that callee's).
    if (Facts.inManagedFrame(C))
      return;
    const FunctionDecl *Callee = Facts.movingCallee(Call, C);
    if (!Callee)
      return;
    std::string Note =
        (Boundary::mayPark(Callee)
             ? "'" + Callee->getNameAsString() + "' may park the goroutine"
             : "Call to managed function '" +
                   Callee->getQualifiedNameAsString() +
                   "', whose stack check may yield") +
        "; it may resume on another thread";
    C.addTransition(C.getState()->set<ThreadChangedBy>(Callee),
                    C.getNoteTag([this, Note](PathSensitiveBugReport &R) {
                      return &R.getBugType() == &Bug ? Note : std::string();
                    }));
  }

  void checkLocation(SVal Location, bool, const Stmt *S,
                     CheckerContext &C) const {
    const MemRegion *Region = Location.getAsRegion();
    if (!Region)
      return;
    const auto *Var = dyn_cast<VarRegion>(Region->getBaseRegion());
    // The runtime's own thread_locals (what the plugin's entry checks
    // read) are the current thread's by design.
    if (!Var || Var->getDecl()->getTLSKind() == VarDecl::TLS_None ||
        isRuntimeVariable(Var->getDecl()))
      return;
    ProgramStateRef State = C.getState();
    const FunctionDecl *Changer = State->get<ThreadChangedBy>();
    const VarDecl *Decl = Var->getDecl();
    // Managed code's uses are the plugin's warnings.
    if (!Changer || Facts.inManagedFrame(C) ||
        State->contains<ReportedThreadLocals>(Decl))
      return;
    emitBug(Bug,
            "thread_local '" + Decl->getNameAsString() + "' used after '" +
                Changer->getQualifiedNameAsString() +
                "', which may have resumed the goroutine on another thread: "
                "this is that thread's variable (per-goroutine state belongs "
                "in gostack::goroutine_local<T>)",
            S, C, State->add<ReportedThreadLocals>(Decl));
  }
};

} // namespace

void registerThreadLocalAcrossPark(CheckerManager &Manager) {
  auto *Checker = Manager.registerChecker<ThreadLocalAcrossParkChecker>();
  Checker->Facts.configure(Checker, Manager.getAnalyzerOptions());
}

} // namespace gostack::analyzer
