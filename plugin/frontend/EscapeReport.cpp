//===-- EscapeReport.cpp - Escape verdicts as compiler remarks ------------===//

#include "frontend/EscapeReport.h"
#include "frontend/ManagedAnnotation.h"

#include "clang/AST/Attr.h"

#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

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

static std::string codeOf(const Verdict &V, llvm::StringRef Line) {
  switch (V.Kind) {
  case Verdict::MovedToHeap:
    return "moved-to-heap";
  case Verdict::Allocation:
  case Verdict::Lambda:
    return V.Escapes ? "escapes" : "does-not-escape";
  case Verdict::Parameter:
    if (Line.starts_with("leaking param content"))
      return "leaking-param-content";
    if (Line.contains("to result"))
      return "leaking-param-result";
    return Line.starts_with("leaking param") ? "leaking-param"
                                             : "does-not-escape";
  case Verdict::BrokenNoEscape:
    return "broken-noescape";
  case Verdict::Unmovable:
    return "unmovable";
  }
  return "";
}

/// gostack's own managed entry functions (GOSTACK_MANAGED_ENTRY) are, to
/// the report, part of a system header: never reported.
static bool isGostackEntry(const FunctionDecl *FD) {
  if (!FD)
    return false;
  for (const auto *A : FD->specific_attrs<AnnotateAttr>())
    if (A->getAnnotation() == EntryAnnotation)
      return true;
  return false;
}

/// What one (merged) verdict reports: nothing inside system headers but
/// an error.
static void addFindings(const Verdict &V, const PluginOptions &Options,
                        const SourceManager &SM,
                        std::vector<Finding> &Findings) {
  std::string Function = V.Fn ? V.Fn->getQualifiedNameAsString() : "";
  if (V.Kind == Verdict::Unmovable) {
    Findings.push_back({V.Loc,
                        DiagnosticsEngine::Error,
                        codeOf(V, ""),
                        remarkLines(V).front(),
                        {},
                        Function});
    return;
  }
  if (SM.isInSystemHeader(SM.getExpansionLoc(V.Loc)) || isGostackEntry(V.Fn))
    return;
  if (Options.Rewrite && destroyedWhileReachable(V)) {
    QualType T = V.Var->getType().getNonReferenceType().getUnqualifiedType();
    Findings.push_back(
        {V.Loc,
         Options.WarningsAsErrors ? DiagnosticsEngine::Error
                                  : DiagnosticsEngine::Warning,
         "destroyed-while-reachable",
         "'" + V.Subject +
             "' is destroyed at the end of its scope, but its address is "
             "returned: the caller reads a destroyed object; allocate it "
             "with gostack::go_new<" +
             T.getAsString(V.Var->getASTContext().getPrintingPolicy()) +
             ">(...) instead",
         {},
         Function});
  }
  bool IsError = V.Kind == Verdict::BrokenNoEscape;
  for (const std::string &Line : remarkLines(V))
    Findings.push_back(
        {V.Loc,
         IsError ? DiagnosticsEngine::Error : DiagnosticsEngine::Remark,
         codeOf(V, Line),
         Line,
         {},
         Function});
  // The flow follows the verdict's last line, as Go prints it.
  for (const std::string &Line : V.Explanation)
    Findings.back().Notes.push_back({V.Loc, Line});
}

void printFindings(const std::vector<Finding> &Findings,
                   const PluginOptions &Options, DiagnosticsEngine &Diags) {
  unsigned NoteID = Diags.getCustomDiagID(DiagnosticsEngine::Note, "%0");
  for (const Finding &F : Findings) {
    bool IsRemark = F.Level == DiagnosticsEngine::Remark;
    if (IsRemark && Options.ReportLevel == 0)
      continue;
    Diags.Report(F.Loc, Diags.getCustomDiagID(F.Level, "%0")) << F.Message;
    if (!IsRemark || Options.ReportLevel >= 2)
      for (const FindingNote &Note : F.Notes)
        Diags.Report(Note.Loc, NoteID) << Note.Text;
  }
}

/// An LSP position range at \p Loc, one token long.
static llvm::json::Object rangeAt(SourceLocation Loc, const SourceManager &SM) {
  SourceLocation File = SM.getFileLoc(Loc);
  unsigned Line = SM.getSpellingLineNumber(File) - 1;
  unsigned Column = SM.getSpellingColumnNumber(File) - 1;
  unsigned Length = Lexer::MeasureTokenLength(File, SM, LangOptions());
  auto Position = [&](unsigned Character) {
    return llvm::json::Object{{"line", Line}, {"character", Character}};
  };
  return llvm::json::Object{{"start", Position(Column)},
                            {"end", Position(Column + Length)}};
}

std::string uriOfPath(llvm::StringRef Path) {
  // RFC 3986: every byte but the unreserved ones and '/' percent-encoded.
  std::string Uri = "file://";
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("-._~/").contains(C))
      Uri.push_back(C);
    else
      Uri += "%" + llvm::utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
  }
  return Uri;
}

static std::string uriOf(SourceLocation Loc, const SourceManager &SM) {
  llvm::SmallString<256> Path(SM.getFilename(SM.getFileLoc(Loc)));
  llvm::sys::fs::make_absolute(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return uriOfPath(Path);
}

llvm::json::Array lspDiagnostics(const std::vector<Finding> &Findings,
                                 const SourceManager &SM) {
  llvm::json::Array Diagnostics;
  for (const Finding &F : Findings) {
    int Severity = F.Level == DiagnosticsEngine::Error     ? 1
                   : F.Level == DiagnosticsEngine::Warning ? 2
                                                           : 3;
    llvm::json::Array Related;
    for (const FindingNote &Note : F.Notes)
      Related.push_back(llvm::json::Object{
          {"location", llvm::json::Object{{"uri", uriOf(Note.Loc, SM)},
                                          {"range", rangeAt(Note.Loc, SM)}}},
          {"message", Note.Text}});
    llvm::json::Object D{
        {"uri", uriOf(F.Loc, SM)}, {"range", rangeAt(F.Loc, SM)},
        {"severity", Severity},    {"source", "gostack"},
        {"code", F.Code},          {"message", F.Message}};
    if (!Related.empty())
      D["relatedInformation"] = std::move(Related);
    Diagnostics.push_back(std::move(D));
  }
  return Diagnostics;
}

std::string mainFilePath(const SourceManager &SM) {
  llvm::SmallString<256> Main(
      SM.getFileEntryRefForID(SM.getMainFileID())->getName());
  llvm::sys::fs::make_absolute(Main);
  llvm::sys::path::remove_dots(Main, /*remove_dot_dot=*/true);
  return Main.str().str();
}

/// One file per translation unit, named after the main file and a hash of
/// its path (equal names do not collide), written whole or not at all.
void writeJsonReport(const std::vector<Finding> &Findings, llvm::StringRef Dir,
                     DiagnosticsEngine &Diags, const SourceManager &SM) {
  std::string Main = mainFilePath(SM);
  llvm::json::Object Document{{"file", Main},
                              {"diagnostics", lspDiagnostics(Findings, SM)}};
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, llvm::sys::path::filename(Main) + "." +
                                    llvm::utohexstr(llvm::xxh3_64bits(Main)) +
                                    ".json");
  std::error_code Failure = llvm::sys::fs::create_directories(Dir);
  if (!Failure)
    if (llvm::Error Error = llvm::writeToOutput(
            Path, [&](llvm::raw_ostream &OS) -> llvm::Error {
              OS << llvm::json::Value(std::move(Document)) << "\n";
              return llvm::Error::success();
            }))
      Failure = llvm::errorToErrorCode(std::move(Error));
  if (Failure)
    Diags.Report(Diags.getCustomDiagID(DiagnosticsEngine::Error,
                                       "cannot write the escape report %0: %1"))
        << Path << Failure.message();
}

std::vector<Finding> collectFindings(std::vector<Verdict> Verdicts,
                                     const PluginOptions &Options,
                                     const SourceManager &SM) {
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

  std::vector<Finding> Findings;
  for (auto It = Verdicts.begin(); It != Verdicts.end();) {
    Verdict V = *It;
    for (++It; It != Verdicts.end() && SameSubject(V, *It); ++It)
      merge(V, *It);
    addFindings(V, Options, SM, Findings);
  }
  return Findings;
}

} // namespace gostack
