//===-- ProjectSummary.h - Escape counts per file and function --*- C++ -*-===//
//
/// \file
/// gostack-escape --summary: how many variables move to the heap, how many
/// allocations and closures escape and how many parameters leak, per file
/// (where the code is written, headers included) and per function, and the
/// functions that send the most to the heap. A header's verdicts count once
/// however many translation units include it.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_TOOLS_GOSTACK_ESCAPE_PROJECTSUMMARY_H
#define GOSTACK_TOOLS_GOSTACK_ESCAPE_PROJECTSUMMARY_H

#include "frontend/EscapeReport.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <set>
#include <string>
#include <tuple>

namespace gostack {

class ProjectSummary {
public:
  /// Counts the findings of one translation unit.
  void add(const std::vector<Finding> &Findings,
           const clang::SourceManager &SM);
  /// Prints the tables, the \p Top worst functions last.
  void print(llvm::raw_ostream &OS, unsigned Top) const;

private:
  struct Counts {
    unsigned MovedToHeap = 0, Escapes = 0, Stays = 0, LeakingParams = 0;
    unsigned toHeap() const { return MovedToHeap + Escapes; }
    void add(llvm::StringRef Code);
  };
  static void printCounts(llvm::raw_ostream &OS, const Counts &C);

  /// Each finding once: file, line, column, code and message.
  std::set<
      std::tuple<std::string, unsigned, unsigned, std::string, std::string>>
      Seen;
  std::map<std::string, Counts> PerFile;
  /// Per file, per function.
  std::map<std::string, std::map<std::string, Counts>> PerFunction;
};

} // namespace gostack

#endif // GOSTACK_TOOLS_GOSTACK_ESCAPE_PROJECTSUMMARY_H
