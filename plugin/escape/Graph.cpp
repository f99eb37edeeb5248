//===-- Graph.cpp - The escape analysis location graph --------------------===//

#include "escape/Graph.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/Support/ErrorHandling.h"

#include <cassert>

using namespace clang;

namespace gostack::escape {

std::string displayName(const ValueDecl *D) {
  const auto *Decomposition = dyn_cast<DecompositionDecl>(D);
  if (!Decomposition)
    return D->getNameAsString();
  std::string Name = "[";
  for (const BindingDecl *Binding : Decomposition->bindings())
    Name += (Name.size() > 1 ? ", " : "") + Binding->getNameAsString();
  return Name + "]";
}

std::string Location::name() const {
  switch (Kind) {
  case LocationKind::Heap:
    return "{heap}";
  case LocationKind::Discard:
    return "{discard}";
  case LocationKind::Variable:
  case LocationKind::Parameter:
    return Var ? displayName(Var) : "this";
  case LocationKind::Result:
    return "~r0";
  case LocationKind::ParamContent:
    return "*" + (Var ? displayName(Var) : std::string("this"));
  case LocationKind::Allocation:
  case LocationKind::Closure:
    return "{storage for " + Label + "}";
  case LocationKind::Temporary:
    return "{temp}";
  }
  llvm_unreachable("unknown location kind");
}

Hole Hole::shift(int Delta) const {
  Hole K = *this;
  K.Derefs += Delta;
  assert(K.Derefs >= -1 && "no address of an address");
  return K;
}

Graph::Graph(bool RecordNotes) : RecordNotes(RecordNotes) {
  for (Location *L : {&Heap, &ManagedCallees}) {
    L->Kind = LocationKind::Heap;
    L->Escapes = L->Persists = L->Calls = true;
  }
  ManagedCallees.CheckedByCallee = true;
  Discard.Kind = LocationKind::Discard;
}

Location *Graph::newLocation(LocationKind Kind, const FunctionDecl *Fn,
                             int LoopDepth) {
  Location *L = new (LocationAllocator.Allocate()) Location();
  L->Kind = Kind;
  L->Fn = Fn;
  L->LoopDepth = LoopDepth;
  Locations.push_back(L);
  return L;
}

Hole Graph::note(Hole K, const Stmt *Where, SourceLocation Loc,
                 llvm::StringRef Why, llvm::StringRef Text) {
  if (!RecordNotes)
    return K;
  K.Notes =
      new (NoteAllocator.Allocate<Note>()) Note{Where, Loc, Why, K.Notes, Text};
  return K;
}

void Graph::flow(Hole K, Location *Src) {
  if (K.Dst == &Discard)
    return;
  if (K.Dst == Src && K.Derefs >= 0) // x = x, x = *x: nothing new flows
    return;
  // dst = &src with dst already escaping: src escapes, no need for an edge.
  if (K.Dst->Escapes && K.Derefs < 0) {
    if (!Src->Escapes) {
      Src->Escapes = Src->Persists = Src->Calls = true;
      if (RecordNotes)
        Src->Explanation.push_back({K.Dst, Src, K.Derefs, K.Notes});
    }
    return;
  }
  K.Dst->Edges.push_back({Src, K.Derefs, K.Notes});
}

void Graph::addClosure(const FunctionDecl *CallOperator, ClosureFrame Frame) {
  auto [It, Inserted] = ClosureIndex.try_emplace(CallOperator, Closures.size());
  if (Inserted)
    Closures.push_back(Frame);
  else
    Closures[It->second] = Frame;
}

const ClosureFrame *Graph::closureOf(const FunctionDecl *Fn) const {
  auto It = ClosureIndex.find(Fn);
  return It == ClosureIndex.end() ? nullptr : &Closures[It->second];
}

llvm::SmallVector<ClosureFrame *, 1>
Graph::closureFramesOf(const Location *Record) {
  llvm::SmallVector<ClosureFrame *, 1> Frames;
  for (ClosureFrame &Frame : Closures)
    if (Frame.Record == Record)
      Frames.push_back(&Frame);
  return Frames;
}

bool Graph::containsClosure(const FunctionDecl *Fn,
                            const FunctionDecl *Closure) const {
  for (const ClosureFrame *Frame = closureOf(Closure); Frame;
       Frame = closureOf(Frame->Parent))
    if (Frame->Parent == Fn)
      return true;
  return false;
}

void Graph::forceEscape(Location *L, llvm::StringRef Why) {
  L->ForcedReason = Why;
  flow(heapHole().shift(-1), L);
}

} // namespace gostack::escape
