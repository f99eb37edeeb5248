//===-- Leaks.h - Where a parameter's value goes ----------------*- C++ -*-===//
//
/// \file
/// A parameter's summary, as Go's parameter tags: for the heap and for the
/// result, the smallest number of dereferences with which the parameter's
/// value reaches it, or -1 when it does not. A caller applies the summary
/// instead of walking the callee again:
///
///   heap derefs 0   leaking param: p           (p itself is stored away)
///   heap derefs 1   leaking param content: p   (what p points to is)
///   result derefs N leaking param: p to result ~r0 level=N
///   nothing         p does not escape
///
/// One kind of sink goes beyond Go's tags: the object another parameter
/// points to. Go sends every store through a pointer to the heap; C++ stores
/// into the objects its pointer and reference parameters denote all the time
/// (setters, every container, `this`), so a store through such a parameter
/// is summarised as "into *q" (q's index: 0 is `this` in a member function),
/// and a caller that knows the object (`obj.set(p)`, `f(&obj, p)`) flows p
/// into obj instead of the heap. Remarks still say "leaking param: p", as Go
/// would for the same code. A parameter stored into its own object (a
/// string's small-buffer pointer, `p->a = p->b`) is no leak at all: the
/// object only holds what it held (Go's self-assignment rule, generalised).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_ESCAPE_LEAKS_H
#define GOSTACK_PLUGIN_ESCAPE_LEAKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <utility>

namespace gostack::escape {

class Leaks {
public:
  /// A sink "the object parameter Param points to" and the minimum derefs.
  using Content = std::pair<unsigned, int>;

  /// Minimum derefs to the heap, or -1.
  int heap() const { return Heap; }
  /// Minimum derefs to the result, or -1.
  int result() const { return Result; }
  /// Minimum derefs into the objects of other parameters, one entry each.
  llvm::ArrayRef<Content> contents() const { return Contents; }
  /// Minimum derefs into any parameter's object, or -1.
  int anyContent() const {
    int Min = -1;
    for (auto [Param, Derefs] : Contents)
      Min = lower(Min, Derefs);
    return Min;
  }

  void addHeap(int Derefs) { Heap = lower(Heap, Derefs); }
  void addResult(int Derefs) { Result = lower(Result, Derefs); }
  void addContent(unsigned Param, int Derefs) {
    for (Content &C : Contents)
      if (C.first == Param) {
        C.second = lower(C.second, Derefs);
        return;
      }
    Contents.push_back({Param, std::max(Derefs, 0)});
  }
  void add(const Leaks &Other) {
    if (Other.Heap >= 0)
      addHeap(Other.Heap);
    if (Other.Result >= 0)
      addResult(Other.Result);
    for (auto [Param, Derefs] : Other.Contents)
      addContent(Param, Derefs);
  }

  /// A flow to the result or another parameter's object that is no
  /// shallower than a flow to the heap adds nothing: drop it, as Go does.
  void optimize() {
    if (Heap < 0)
      return;
    if (Result >= Heap)
      Result = -1;
    llvm::erase_if(Contents,
                   [&](const Content &C) { return C.second >= Heap; });
  }

  bool none() const { return Heap < 0 && Result < 0 && Contents.empty(); }

  /// The summary of a parameter the analysis cannot see into.
  static Leaks unknown() {
    Leaks L;
    L.addHeap(0);
    return L;
  }

private:
  static int lower(int Old, int New) {
    New = std::max(New, 0);
    return Old < 0 ? New : std::min(Old, New);
  }

  int Heap = -1;
  int Result = -1;
  llvm::SmallVector<Content, 1> Contents;
};

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_LEAKS_H
