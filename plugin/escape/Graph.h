//===-- Graph.h - The escape analysis location graph ------------*- C++ -*-===//
//
/// \file
/// The data the analysis works on (see Escape.h for the algorithm).
///
/// A Location is an abstract place that holds values: a local variable, a
/// parameter, `this`, a function's result, an allocation site (go_new, a
/// lambda's closure, an addressable temporary), or the heap. An Edge records
/// that a value flows from one location into another, with a weight: the
/// number of dereferences minus the number of address-ofs on the way.
///
///   p = &q    // -1
///   p = q     //  0
///   p = *q    //  1
///   p = **q   //  2
///
/// A Hole is an evaluation context, "store the value being computed into Dst
/// with Derefs extra dereferences": evaluating `&x` into hole k flows x into
/// k.addr(); evaluating `*p` flows p into k.deref(). Weights never go below
/// -1: there is no address of an address.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_ESCAPE_GRAPH_H
#define GOSTACK_PLUGIN_ESCAPE_GRAPH_H

#include "escape/Leaks.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Allocator.h"

#include <string>
#include <vector>

namespace gostack::escape {

/// How the remarks name a variable; a structured binding is "[a, b]".
std::string displayName(const clang::ValueDecl *D);

/// Why a value flowed, for the m=2 explanation: "from EXPR (WHY) at POS".
struct Note {
  const clang::Stmt *Where;
  clang::SourceLocation Loc;
  llvm::StringRef Why;
  const Note *Next;
  /// What to print for EXPR when Where's source text would not say it (an
  /// implicit capture); empty otherwise.
  llvm::StringRef Text;
};

class Location;

struct Edge {
  Location *Src;
  int Derefs; // >= -1
  const Note *Notes;
};

enum class LocationKind {
  Heap,         ///< the heap, globals, and everything the analysis cannot see
  Discard,      ///< a sink for values that hold no pointers
  Variable,     ///< a local variable
  Parameter,    ///< a parameter, or `this`
  Result,       ///< a function's result (for a constructor: the new object)
  ParamContent, ///< the object a pointer or reference parameter (or `this`)
                ///< points to: the caller's, which outlives the frame
  Allocation,   ///< the object of one go_new call site
  Closure,      ///< the closure object of one lambda expression
  Temporary,    ///< an addressable temporary
};

/// One step of an explanation: "flow: Dst = [&|*...]Src" and its notes.
struct ExplainStep {
  const Location *Dst;
  const Location *Src;
  int Derefs;
  const Note *Notes;
};

class Location {
public:
  LocationKind Kind;
  /// The function whose frame holds this location (null for the heap).
  const clang::FunctionDecl *Fn = nullptr;
  /// The variable or parameter, for those kinds.
  const clang::ValueDecl *Var = nullptr;
  /// The expression, for allocations, closures and temporaries.
  const clang::Expr *Site = nullptr;
  /// Loop nesting depth at the declaration (the function body is 1).
  int LoopDepth = 0;
  /// How the remarks spell an allocation or closure: "go_new<T>(...)".
  std::string Label;
  /// Bytes of the object, or 0 when unknown.
  uint64_t Size = 0;
  /// Incoming edges.
  llvm::SmallVector<Edge, 4> Edges;

  bool Escapes = false;
  /// The object's address outlives the statement that takes it.
  bool Persists = false;
  /// Closures reachable from here may be called where their results are
  /// not tracked.
  bool Calls = false;
  /// The object's address reaches its own function's result: the caller
  /// sees it after the object's scope has ended.
  bool AddressReturned = false;
  /// For Parameter locations: where the parameter leaks.
  Leaks ParamLeaks;
  /// For Parameter locations: the parameter itself is kept in escaping
  /// memory by its own function (or a callee that is not managed), not only
  /// by managed callees -- which check what they keep on entry
  /// (rewrite/LentAddressChecks.h).
  bool KeptDirectly = false;
  /// For the heap reached through a managed callee's parameter.
  bool CheckedByCallee = false;
  /// Why the analysis gave up on it (m=2), when it was not a flow.
  llvm::StringRef ForcedReason;
  /// For m=2: the flows that explain why it escapes or leaks.
  std::vector<ExplainStep> Explanation;

  // Solver scratch space.
  int Derefs = 0;
  unsigned WalkGen = 0;
  Location *Dst = nullptr;
  int DstEdgeIndex = -1;
  bool Queued = false;

  bool isResult() const { return Kind == LocationKind::Result; }
  bool isParameter() const { return Kind == LocationKind::Parameter; }

  /// The name Go would print for it in an explanation.
  std::string name() const;
};

/// An evaluation context: the value being computed flows into Dst with
/// Derefs extra dereferences.
struct Hole {
  Location *Dst = nullptr;
  int Derefs = 0;
  const Note *Notes = nullptr;

  Hole shift(int Delta) const;
};

/// A lambda's call operator, analysed as a closure of its enclosing function.
struct ClosureFrame {
  const clang::FunctionDecl *Parent = nullptr;
  Location *Record = nullptr; ///< the closure object
  Location *Result = nullptr; ///< the call operator's result
  /// Set once the closure may be called where its results are not tracked.
  bool ResultsLost = false;
};

/// Owns the locations of one batch and adds the edges.
class Graph {
public:
  explicit Graph(bool RecordNotes);

  Location *heap() { return &Heap; }
  /// The heap as reached through a parameter of a managed function outside
  /// the batch: the same as heap() to the solver, but for KeptDirectly.
  Location *managedCallees() { return &ManagedCallees; }
  Location *discard() { return &Discard; }
  Hole heapHole() { return {&Heap, 0, nullptr}; }
  Hole managedCalleesHole() { return {&ManagedCallees, 0, nullptr}; }
  Hole discardHole() { return {&Discard, 0, nullptr}; }

  Location *newLocation(LocationKind Kind, const clang::FunctionDecl *Fn,
                        int LoopDepth);

  /// Adds a note to a hole; a no-op unless explanations are recorded.
  Hole note(Hole K, const clang::Stmt *Where, clang::SourceLocation Loc,
            llvm::StringRef Why, llvm::StringRef Text = {});
  Hole deref(Hole K, const clang::Stmt *Where, llvm::StringRef Why) {
    return note(K.shift(1), Where, locOf(Where), Why);
  }
  Hole addr(Hole K, const clang::Stmt *Where, llvm::StringRef Why) {
    return note(K.shift(-1), Where, locOf(Where), Why);
  }

  /// Records that Src's value flows into K.
  void flow(Hole K, Location *Src);

  /// Makes L escape for a reason that is not a flow (too large, not
  /// modelled), noting why.
  void forceEscape(Location *L, llvm::StringRef Why);

  std::vector<Location *> &all() { return Locations; }

  void addClosure(const clang::FunctionDecl *CallOperator, ClosureFrame Frame);
  const ClosureFrame *closureOf(const clang::FunctionDecl *Fn) const;
  /// The frames of the lambda bodies (one per instantiation of a generic
  /// lambda) whose closure object is Record.
  llvm::SmallVector<ClosureFrame *, 1> closureFramesOf(const Location *Record);
  /// Whether Closure is a lambda defined (at any depth) inside Fn.
  bool containsClosure(const clang::FunctionDecl *Fn,
                       const clang::FunctionDecl *Closure) const;
  bool recordsNotes() const { return RecordNotes; }

private:
  static clang::SourceLocation locOf(const clang::Stmt *S) {
    return S ? S->getBeginLoc() : clang::SourceLocation();
  }

  bool RecordNotes;
  Location Heap, ManagedCallees, Discard;
  llvm::SpecificBumpPtrAllocator<Location> LocationAllocator;
  llvm::BumpPtrAllocator NoteAllocator;
  std::vector<Location *> Locations;
  std::vector<ClosureFrame> Closures; // in the order the walk found them
  llvm::DenseMap<const clang::FunctionDecl *, unsigned> ClosureIndex;
};

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_GRAPH_H
