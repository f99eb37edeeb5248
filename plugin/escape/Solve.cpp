//===-- Solve.cpp - Propagate escapes through the location graph ----------===//
//
// The solver walks the graph backwards from every location (the root),
// computing for each other location the minimum number of dereferences with
// which its value reaches the root (a Bellman-Ford shortest path over the
// incoming edges; -1 means "its address reaches the root"). Then:
//
//  - a location whose address reaches a root that outlives it escapes (it
//    must live in the heap); one whose address reaches a persistent root
//    persists;
//  - a parameter whose value reaches the heap or the function's result
//    records that leak, with the dereference count, in its summary.
//
// A location whose attributes grow is walked again as a root. Each attribute
// can only be gained once, so the work is linear in the number of roots
// times the cost of one walk.
//
// Last, one more walk from each function's result, which stops at nothing,
// finds the variables whose address the function returns: the rewrite keeps
// them alive in the GC heap, but C++ still destroys them at the end of their
// scope, so the caller would see a destroyed object (the report warns).
//
//===----------------------------------------------------------------------===//

#include "escape/Solve.h"

#include "escape/Summary.h"

#include "llvm/ADT/SmallPtrSet.h"

#include <deque>

namespace gostack::escape {

namespace {

class Solver {
public:
  explicit Solver(Graph &G) : G(G) {}

  void solveAll() {
    for (Location *L : G.all())
      enqueue(L);
    enqueue(G.heap());
    enqueue(G.managedCallees());
    while (!Queue.empty()) {
      Location *Root = Queue.front();
      Queue.pop_front();
      Root->Queued = false;
      walkOne(Root, ++WalkGen);
    }
  }

private:
  void enqueue(Location *L) {
    if (L->Queued)
      return;
    L->Queued = true;
    // Walking from escaping roots first settles most attributes early.
    if (L->Escapes)
      Queue.push_front(L);
    else
      Queue.push_back(L);
  }

  /// Does L (a root) live longer than Other, so that storing Other's address
  /// into L makes Other escape?
  bool outlives(const Location *L, const Location *Other) const {
    if (L->Escapes)
      return true;
    // An object holding its own address (a small-buffer pointer) is fine.
    if (L == Other)
      return false;
    if (L->Kind == LocationKind::ParamContent)
      return true;
    if (L->isResult())
      return resultOutlives(L, Other);
    // The loop rule: L is declared outside the loop that declares Other.
    if (L->Fn == Other->Fn && L->LoopDepth < Other->LoopDepth)
      return true;
    // The closure rule: Other lives in a lambda's frame inside L's function.
    return G.containsClosure(L->Fn, Other->Fn);
  }

  /// Does a function's result outlive Other? Callers outside the batch may
  /// do anything with it, but they only see the function's parameters,
  /// through its summary: so it outlives the function's own frame and its
  /// lambdas'. Calls inside the batch flow the result on into their own
  /// destination explicitly, so it need not outlive their frames. A lambda
  /// whose every call is seen may even return its parent's locals (Go's
  /// closure rule), unless it is called where its results are lost.
  bool resultOutlives(const Location *L, const Location *Other) const {
    if (L->Fn == Other->Fn || G.containsClosure(L->Fn, Other->Fn))
      return true;
    const ClosureFrame *Frame = G.closureOf(L->Fn);
    return Frame && Frame->ResultsLost;
  }

  /// Records that parameter P's value reaches Sink with Derefs.
  static void leakTo(Location *P, const Location *Sink, int Derefs) {
    bool OwnSink = !Sink->Escapes && Sink->Fn == P->Fn;
    if (OwnSink && Sink->isResult()) {
      P->ParamLeaks.addResult(Derefs);
    } else if (OwnSink && Sink->Kind == LocationKind::ParamContent) {
      // Stored into the object it points to itself: no leak (Leaks.h).
      if (Sink->Var != P->Var)
        P->ParamLeaks.addContent(summaryIndex(Sink), Derefs);
    } else {
      P->ParamLeaks.addHeap(Derefs);
      P->KeptDirectly |= Derefs <= 0 && !Sink->CheckedByCallee;
    }
  }

  /// The summary index of the parameter a ParamContent location belongs to.
  static unsigned summaryIndex(const Location *Content) {
    if (!Content->Var)
      return 0; // `this`
    unsigned First = hasThisParameter(Content->Fn) ? 1 : 0;
    return First + llvm::cast<clang::ParmVarDecl>(Content->Var)
                       ->getFunctionScopeIndex();
  }

  /// Records the path by which L reached Root (for m=2). Relaxing edges
  /// can leave a cycle in the path links: stop there, as Go does.
  void explain(Location *L, const Location *Root) {
    if (!G.recordsNotes() || !L->Explanation.empty())
      return;
    llvm::SmallPtrSet<const Location *, 16> Visited;
    for (Location *At = L; At != Root && At->Dst && Visited.insert(At).second;
         At = At->Dst) {
      const Edge &E = At->Dst->Edges[At->DstEdgeIndex];
      L->Explanation.push_back({At->Dst, At, E.Derefs, E.Notes});
    }
  }

  /// A closure that may now be called where its results are not tracked:
  /// walk its results again, as results that outlive everything.
  void loseClosureResults(const Location *Root) {
    if (Root->Kind != LocationKind::Closure)
      return;
    for (ClosureFrame *Frame : G.closureFramesOf(Root)) {
      if (Frame->ResultsLost)
        continue;
      Frame->ResultsLost = true;
      enqueue(Frame->Result);
    }
  }

  void walkOne(Location *Root, unsigned Gen) {
    Root->WalkGen = Gen;
    Root->Derefs = 0;
    Root->Dst = nullptr;
    if (Root->Calls)
      loseClosureResults(Root);

    llvm::SmallVector<Location *, 32> Todo{Root};
    while (!Todo.empty()) {
      Location *L = Todo.pop_back_val();
      int Derefs = L->Derefs;
      bool Escapes = false, Persists = false, Calls = false;

      if (Derefs < 0) {
        // "root = &l; l = x": l's address reaches root, x's does not.
        Derefs = 0;
        if (outlives(Root, L)) {
          Escapes = Persists = Calls = true;
          if (!L->Escapes)
            explain(L, Root);
        } else if (Root->Persists) {
          Persists = true;
        }
      }
      if (Derefs == 0)
        Calls |= Root->Calls;

      if (L->isParameter() && outlives(Root, L)) {
        if (!L->Escapes)
          explain(L, Root);
        leakTo(L, Root, Derefs);
      }

      bool Grew = (Escapes && !L->Escapes) || (Persists && !L->Persists) ||
                  (Calls && !L->Calls);
      if (Grew) {
        L->Escapes |= Escapes;
        L->Persists |= Persists;
        L->Calls |= Calls;
        enqueue(L);
        if (L->Escapes)
          continue;
      }

      for (unsigned I = 0; I < L->Edges.size(); ++I) {
        const Edge &E = L->Edges[I];
        if (E.Src->Escapes)
          continue;
        int D = Derefs + E.Derefs;
        if (E.Src->WalkGen != Gen || E.Src->Derefs > D) {
          E.Src->WalkGen = Gen;
          E.Src->Derefs = D;
          E.Src->Dst = L;
          E.Src->DstEdgeIndex = I;
          Todo.push_back(E.Src);
        }
      }
    }
  }

public:
  /// Marks the variables whose address reaches their own function's result.
  void markReturnedAddresses() {
    for (Location *Result : G.all()) {
      if (!Result->isResult())
        continue;
      unsigned Gen = ++WalkGen;
      Result->WalkGen = Gen;
      Result->Derefs = 0;
      llvm::SmallVector<Location *, 32> Todo{Result};
      while (!Todo.empty()) {
        Location *L = Todo.pop_back_val();
        int Derefs = L->Derefs;
        if (Derefs < 0) {
          if (L->Kind == LocationKind::Variable && L->Fn == Result->Fn)
            L->AddressReturned = true;
          Derefs = 0;
        }
        for (const Edge &E : L->Edges) {
          int D = Derefs + E.Derefs;
          if (E.Src->WalkGen != Gen || E.Src->Derefs > D) {
            E.Src->WalkGen = Gen;
            E.Src->Derefs = D;
            Todo.push_back(E.Src);
          }
        }
      }
    }
  }

private:
  Graph &G;
  std::deque<Location *> Queue;
  unsigned WalkGen = 0;
};

} // namespace

void solve(Graph &G) {
  Solver S(G);
  S.solveAll();
  S.markReturnedAddresses();
}

} // namespace gostack::escape
