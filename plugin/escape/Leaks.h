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
/// One sink goes beyond Go's tags: the object a member function runs on.
/// Go sends every store through a pointer to the heap; C++ member functions
/// store into `*this` all the time (setters, every container), so a store
/// through `this` is summarised as "into *this", and a caller that knows the
/// object (`obj.set(p)`) flows p into obj instead of the heap. Remarks still
/// say "leaking param: p", as Go would for the same code.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_ESCAPE_LEAKS_H
#define GOSTACK_PLUGIN_ESCAPE_LEAKS_H

#include <algorithm>

namespace gostack::escape {

class Leaks {
public:
  /// Minimum derefs to the heap, or -1.
  int heap() const { return Heap; }
  /// Minimum derefs to the result, or -1.
  int result() const { return Result; }
  /// Minimum derefs to the object `this` points to, or -1.
  int thisContent() const { return ThisContent; }

  void addHeap(int Derefs) { Heap = lower(Heap, Derefs); }
  void addResult(int Derefs) { Result = lower(Result, Derefs); }
  void addThisContent(int Derefs) { ThisContent = lower(ThisContent, Derefs); }

  /// A flow to the result that is no shallower than a flow to the heap adds
  /// nothing: drop it, as Go does.
  void optimize() {
    if (Heap >= 0 && Result >= Heap)
      Result = -1;
    if (Heap >= 0 && ThisContent >= Heap)
      ThisContent = -1;
  }

  bool none() const { return Heap < 0 && Result < 0 && ThisContent < 0; }

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
  int ThisContent = -1;
};

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_LEAKS_H
