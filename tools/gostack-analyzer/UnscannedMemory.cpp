//===-- UnscannedMemory.cpp - GC pointers where the collector looks not ---===//
//
// gostack.GCPointerInUnscannedMemory: the collector finds live GC objects
// from every stack, the globals, thread-local storage, the GC heap and every
// block of malloc and new (CONTRACT section 7) -- not from memory the
// program maps itself with mmap (an arena, a custom allocator). A pointer
// to a go_new object kept only there does not keep it alive: the collector
// frees it, and the copy points to reused memory.
//
//   void *arena = mmap(nullptr, 4096, ...);      // note: not scanned
//   Node *node = gostack::go_new<Node>();         // note: a GC object
//   *static_cast<Node **>(arena) = node;          // warning
//
// Keep GC pointers in malloc'd memory, or in go_new'd objects, instead.
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

// Blocks mapped by the program, and pointers to GC objects, by symbol.
REGISTER_SET_WITH_PROGRAMSTATE(UnscannedBlocks, clang::ento::SymbolRef)
REGISTER_SET_WITH_PROGRAMSTATE(GCObjects, clang::ento::SymbolRef)

namespace gostack::analyzer {
namespace {

/// Which GC allocation \p Call is: go_new, the runtime's gc_alloc (which
/// an inlined go_new calls), or neither.
enum class Allocation { None, GoNew, GcAlloc };
Allocation allocationOf(const CallEvent &Call) {
  const auto *Callee = dyn_cast_or_null<FunctionDecl>(Call.getDecl());
  if (!Callee || !allocatesGCObject(Callee))
    return Allocation::None;
  return Callee->getQualifiedNameAsString() == "gostack::go_new"
             ? Allocation::GoNew
             : Allocation::GcAlloc;
}

class UnscannedMemoryChecker : public Checker<check::PostCall, check::Bind> {
public:
  BugType Bug{this, "GC pointer in unscanned memory", "gostack"};

  void checkPostCall(const CallEvent &Call, CheckerContext &C) const {
    SymbolRef Result = Call.getReturnValue().getAsSymbol(
        /*IncludeBaseRegions=*/true);
    if (!Result)
      return;
    if (Call.isGlobalCFunction("mmap") || Call.isGlobalCFunction("mmap64")) {
      C.addTransition(C.getState()->add<UnscannedBlocks>(Result),
                      note("Memory mapped here: the collector does not scan "
                           "it for pointers",
                           C));
      return;
    }
    // The note goes on go_new; gc_alloc (inside an inlined go_new, or
    // called directly) only records the object.
    switch (allocationOf(Call)) {
    case Allocation::GoNew:
      C.addTransition(C.getState()->add<GCObjects>(Result),
                      note("A GC object, freed once no scanned memory points "
                           "to it",
                           C));
      break;
    case Allocation::GcAlloc:
      C.addTransition(C.getState()->add<GCObjects>(Result));
      break;
    case Allocation::None:
      break;
    }
  }

  void checkBind(SVal Location, SVal Value, const Stmt *S,
                 CheckerContext &C) const {
    SymbolRef Object = Value.getAsSymbol(/*IncludeBaseRegions=*/true);
    const MemRegion *Where = Location.getAsRegion();
    if (!Object || !Where)
      return;
    const auto *Block = dyn_cast<SymbolicRegion>(Where->getBaseRegion());
    ProgramStateRef State = C.getState();
    if (!Block || !State->contains<UnscannedBlocks>(Block->getSymbol()) ||
        !State->contains<GCObjects>(Object))
      return;
    emitBug(Bug,
            "Pointer to a GC object stored in memory from mmap, which the "
            "collector does not scan: the object may be freed while this copy "
            "points to it (keep it in malloc'd memory or a go_new object)",
            S, C);
  }

private:
  const NoteTag *note(std::string Text, CheckerContext &C) const {
    return C.getNoteTag([this, Text](PathSensitiveBugReport &R) {
      return &R.getBugType() == &Bug ? Text : std::string();
    });
  }
};

} // namespace

void registerUnscannedMemory(CheckerManager &Manager) {
  Manager.registerChecker<UnscannedMemoryChecker>();
}

} // namespace gostack::analyzer
