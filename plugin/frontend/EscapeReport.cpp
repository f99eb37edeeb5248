//===-- EscapeReport.cpp - Escape verdicts as compiler remarks ------------===//

#include "frontend/EscapeReport.h"

#include "llvm/ADT/STLExtras.h"

#include <tuple>

using namespace clang;
using gostack::escape::Leaks;
using gostack::escape::Verdict;

namespace gostack {

/// The remark lines Go prints for one verdict.
static std::vector<std::string> remarkLines(const Verdict &V) {
  switch (V.Kind) {
  case Verdict::MovedToHeap:
    return {"moved to heap: " + V.Subject};
  case Verdict::Allocation:
  case Verdict::Lambda:
    return {V.Subject + (V.Escapes ? " escapes to heap" : " does not escape")};
  case Verdict::Parameter: {
    std::vector<std::string> Lines;
    const Leaks &L = V.ParamLeaks;
    // A store into *this or *q is a store through a pointer: Go calls it a
    // heap leak (the summary keeps the finer fact for callers).
    int Heap = L.heap();
    if (L.anyContent() >= 0 && (Heap < 0 || L.anyContent() < Heap))
      Heap = L.anyContent();
    if (Heap == 0)
      Lines.push_back("leaking param: " + V.Subject);
    else if (Heap > 0)
      Lines.push_back("leaking param content: " + V.Subject);
    if (L.result() >= 0)
      Lines.push_back("leaking param: " + V.Subject +
                      " to result ~r0 level=" + std::to_string(L.result()));
    if (Lines.empty())
      Lines.push_back(V.Subject + " does not escape");
    return Lines;
  }
  case Verdict::BrokenNoEscape:
    return {"parameter '" + V.Subject +
            "' is declared [[clang::noescape]] but escapes"};
  case Verdict::Unmovable:
    return {"'" + V.Subject +
            "' must move to the heap but cannot: " + V.Explanation.front()};
  }
  return {};
}

/// A moved variable with a destructor whose address is returned: C++ runs
/// the destructor at the end of its scope, so the caller sees a destroyed
/// object (CONTRACT section 3).
static bool destroyedWhileReachable(const Verdict &V) {
  return V.Kind == Verdict::MovedToHeap && V.AddressReturned && V.Var &&
         V.Var->getType().getNonReferenceType().isDestructedType();
}

/// Merges the verdicts of one location from several instantiations: the
/// escaping one wins.
static void merge(Verdict &Into, const Verdict &From) {
  if (From.Escapes && !Into.Escapes)
    Into.Explanation = From.Explanation;
  Into.Escapes |= From.Escapes;
  Into.AddressReturned |= From.AddressReturned;
  Into.ParamLeaks.add(From.ParamLeaks);
  Into.ParamLeaks.optimize();
}

void reportVerdicts(std::vector<Verdict> Verdicts, const PluginOptions &Options,
                    DiagnosticsEngine &Diags, const SourceManager &SM) {
  auto SameSubject = [](const Verdict &A, const Verdict &B) {
    return A.Loc == B.Loc && A.Kind == B.Kind && A.Subject == B.Subject;
  };
  // Source order; the analysis' own order breaks ties, so equal runs merge
  // the same way every time.
  std::vector<unsigned> Order(Verdicts.size());
  for (unsigned I = 0; I < Order.size(); ++I)
    Order[I] = I;
  llvm::sort(Order, [&](unsigned IA, unsigned IB) {
    const Verdict &A = Verdicts[IA], &B = Verdicts[IB];
    if (A.Loc != B.Loc)
      return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
    return std::tie(A.Kind, A.Subject, IA) < std::tie(B.Kind, B.Subject, IB);
  });
  std::vector<Verdict> Sorted;
  Sorted.reserve(Verdicts.size());
  for (unsigned I : Order)
    Sorted.push_back(std::move(Verdicts[I]));
  Verdicts = std::move(Sorted);

  unsigned RemarkID = Diags.getCustomDiagID(DiagnosticsEngine::Remark, "%0");
  unsigned WarningID = Diags.getCustomDiagID(
      Options.WarningsAsErrors ? DiagnosticsEngine::Error
                               : DiagnosticsEngine::Warning,
      "'%0' is destroyed at the end of its scope, but its address is "
      "returned: the caller reads a destroyed object; allocate it with "
      "gostack::go_new<%1>(...) instead");
  auto TypeName = [](const Verdict &V) {
    QualType T = V.Var->getType().getNonReferenceType().getUnqualifiedType();
    return T.getAsString(V.Var->getASTContext().getPrintingPolicy());
  };
  unsigned ErrorID = Diags.getCustomDiagID(DiagnosticsEngine::Error, "%0");
  unsigned NoteID = Diags.getCustomDiagID(DiagnosticsEngine::Note, "%0");
  for (auto It = Verdicts.begin(); It != Verdicts.end();) {
    Verdict V = *It;
    for (++It; It != Verdicts.end() && SameSubject(V, *It); ++It)
      merge(V, *It);

    if (V.Kind == Verdict::Unmovable) {
      Diags.Report(V.Loc, ErrorID) << remarkLines(V).front();
      continue;
    }
    bool IsError = V.Kind == Verdict::BrokenNoEscape;
    if (SM.isInSystemHeader(SM.getExpansionLoc(V.Loc)))
      continue;
    if (Options.Rewrite && destroyedWhileReachable(V))
      Diags.Report(V.Loc, WarningID) << V.Subject << TypeName(V);
    if (!IsError && Options.ReportLevel == 0)
      continue;
    for (const std::string &Line : remarkLines(V))
      Diags.Report(V.Loc, IsError ? ErrorID : RemarkID) << Line;
    if (Options.ReportLevel >= 2 || IsError)
      for (const std::string &Line : V.Explanation)
        Diags.Report(V.Loc, NoteID) << Line;
  }
}

} // namespace gostack
