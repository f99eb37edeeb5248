//===-- Boundary.h - What the checkers know of the runtime ------*- C++ -*-===//
//
/// \file
/// The facts the Static Analyzer checkers of gostack share: which functions
/// are managed (the plugin's own rule: the marker, or `managed=all` given
/// as `-analyzer-config gostack:managed=all`), which calls may move the
/// goroutine's stack or resume it on another thread (a managed function:
/// its stack check may grow the stack or yield; a GOSTACK_MAY_PARK
/// function: it parks), and which memory the stack copier does not adjust
/// (everything outside the goroutine's stack: globals, the heap, memory of
/// unknown place).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_TOOLS_ANALYZER_BOUNDARY_H
#define GOSTACK_TOOLS_ANALYZER_BOUNDARY_H

#include "clang/StaticAnalyzer/Core/BugReporter/BugType.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CallEvent.h"
#include "clang/StaticAnalyzer/Core/PathSensitive/CheckerContext.h"
#include "llvm/ADT/DenseMap.h"

namespace gostack::analyzer {

/// The package every checker belongs to, and its option.
inline constexpr llvm::StringLiteral Package = "gostack";

/// Answers the questions above for one checker.
class Boundary {
public:
  /// Reads `gostack:managed` for \p Checker.
  void configure(const clang::ento::CheckerBase *Checker,
                 const clang::AnalyzerOptions &Options);

  bool isManaged(const clang::FunctionDecl *FD,
                 const clang::SourceManager &SM) const;
  /// Whether the frame of \p C runs managed code (its stores are the
  /// plugin's business: it moves what they would leak).
  bool inManagedFrame(clang::ento::CheckerContext &C) const;
  /// The function \p Call calls, when calling it may move the goroutine's
  /// stack or switch its thread (null otherwise). A managed function called
  /// inside a lambda given to gostack::systemstack runs on the thread's own
  /// stack: it moves nothing.
  const clang::FunctionDecl *movingCallee(const clang::ento::CallEvent &Call,
                                          clang::ento::CheckerContext &C) const;
  /// Whether only GOSTACK_MAY_PARK makes \p Callee one (it parks).
  static bool mayPark(const clang::FunctionDecl *Callee);

private:
  bool ManageAll = false;
  /// Asked at every bind and call of every path: answered once per
  /// function, and once per call expression for systemstack.
  mutable llvm::DenseMap<const clang::FunctionDecl *, bool> Managed;
  mutable llvm::DenseMap<const clang::Expr *, bool> OnSystemStack;
};

/// The region in the goroutine's stack that \p V points into, if any: a
/// local or parameter of a frame still live at \p C.
const clang::ento::MemRegion *stackRegionOf(clang::ento::SVal V,
                                            clang::ento::CheckerContext &C);
/// Whether \p Callee allocates in the GC heap: go_new, or the runtime's
/// gc_alloc it calls.
bool allocatesGCObject(const clang::FunctionDecl *Callee);
/// Whether a copy stored in \p Location outlives the frames it points to
/// and escapes the stack copier: a global, the heap (a GC object
/// included).
bool outsideStack(const clang::ento::MemRegion *Location);
/// Reports \p Message as \p Bug on the current path, at \p S if any,
/// continuing from \p State (null: the current one).
void emitBug(const clang::ento::BugType &Bug, const std::string &Message,
             const clang::Stmt *S, clang::ento::CheckerContext &C,
             clang::ento::ProgramStateRef State = nullptr);
/// 'x', or "the object" when the region has no name.
std::string describe(const clang::ento::MemRegion *Region);

} // namespace gostack::analyzer

#endif // GOSTACK_TOOLS_ANALYZER_BOUNDARY_H
