//===-- ProjectSummary.cpp - Escape counts per file and function ----------===//

#include "ProjectSummary.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

#include <vector>

using namespace clang;

namespace gostack {

void ProjectSummary::Counts::add(llvm::StringRef Code) {
  if (Code == "moved-to-heap")
    ++MovedToHeap;
  else if (Code == "escapes")
    ++Escapes;
  else if (Code == "does-not-escape")
    ++Stays;
  else if (Code.starts_with("leaking-param"))
    ++LeakingParams;
}

void ProjectSummary::add(const std::vector<Finding> &Findings,
                         const SourceManager &SM) {
  for (const Finding &F : Findings) {
    PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(F.Loc));
    if (P.isInvalid())
      continue;
    // One name per file, however an include spelt it ("./db/x.h").
    llvm::SmallString<256> Path(P.getFilename());
    llvm::sys::fs::make_absolute(Path);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    std::string File = Path.str().str();
    if (!Seen.emplace(File, P.getLine(), P.getColumn(), F.Code, F.Message)
             .second)
      continue;
    PerFile[File].add(F.Code);
    PerFunction[File][F.Function].add(F.Code);
  }
}

void ProjectSummary::printCounts(llvm::raw_ostream &OS, const Counts &C) {
  OS << C.MovedToHeap << " moved to heap, " << C.Escapes << " escape, "
     << C.Stays << " stay on the stack, " << C.LeakingParams
     << " leaking params";
}

void ProjectSummary::print(llvm::raw_ostream &OS, unsigned Top) const {
  struct Offender {
    unsigned ToHeap;
    std::string Function, File;
  };
  std::vector<Offender> Offenders;
  Counts Total;
  for (const auto &[File, FileCounts] : PerFile) {
    OS << File << ": ";
    printCounts(OS, FileCounts);
    OS << "\n";
    for (const auto &[Function, C] : PerFunction.at(File)) {
      OS << "  " << (Function.empty() ? "(no function)" : Function) << ": ";
      printCounts(OS, C);
      OS << "\n";
      if (C.toHeap())
        Offenders.push_back({C.toHeap(), Function, File});
    }
    Total.MovedToHeap += FileCounts.MovedToHeap;
    Total.Escapes += FileCounts.Escapes;
    Total.Stays += FileCounts.Stays;
    Total.LeakingParams += FileCounts.LeakingParams;
  }
  OS << "total: ";
  printCounts(OS, Total);
  OS << "\n";
  llvm::sort(Offenders, [](const Offender &A, const Offender &B) {
    return std::tie(B.ToHeap, A.Function, A.File) <
           std::tie(A.ToHeap, B.Function, B.File);
  });
  if (Offenders.size() > Top)
    Offenders.resize(Top);
  if (Offenders.empty())
    return;
  OS << "top offenders (moved to heap + escapes):\n";
  for (const Offender &O : Offenders)
    OS << llvm::format("%6u  ", O.ToHeap) << O.Function << "  (" << O.File
       << ")\n";
}

} // namespace gostack
