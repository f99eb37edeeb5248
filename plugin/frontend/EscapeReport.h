//===-- EscapeReport.h - Escape verdicts as compiler remarks ----*- C++ -*-===//
//
/// \file
/// Prints the analysis' verdicts as Go prints them (CONTRACT section 5):
/// remarks with `m`, flow notes with `m=2`, nothing inside system headers,
/// in source order, each location once even when several template
/// instantiations reach it (the escaping verdict wins). A broken
/// [[clang::noescape]] promise is an error whatever the level.
///
/// With `json=DIR` the same verdicts, whatever the level, also go to
/// DIR/NAME.HASH.json (HASH of the main file's path): the file's path and an
/// array of LSP diagnostics -- uri, 0-based range of one token, severity (1
/// error, 2 warning, 3 information), source "gostack", a code per kind
/// (moved-to-heap, escapes, does-not-escape, leaking-param,
/// leaking-param-content, leaking-param-result, broken-noescape, unmovable,
/// destroyed-while-reachable), message, and the m=2 flow as
/// relatedInformation. Written whole or not at all; the same compile writes
/// the same bytes.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_ESCAPEREPORT_H
#define GOSTACK_PLUGIN_FRONTEND_ESCAPEREPORT_H

#include "escape/Escape.h"
#include "frontend/PluginOptions.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace gostack {

/// A note under a finding: a line of the m=2 flow (at the finding), or a
/// pointer elsewhere (where a thread_local's goroutine can park).
struct FindingNote {
  clang::SourceLocation Loc;
  std::string Text;
};

/// One diagnostic gostack gives, whichever way it is shown.
struct Finding {
  clang::SourceLocation Loc;
  /// Remark, warning or error.
  clang::DiagnosticsEngine::Level Level;
  /// The kind, for tools and filters: moved-to-heap, escapes,
  /// does-not-escape, leaking-param, leaking-param-content,
  /// leaking-param-result, broken-noescape, unmovable,
  /// destroyed-while-reachable, thread-local-across-park.
  std::string Code;
  std::string Message;
  /// For a remark, the m=2 flow that explains it, one line per note; for a
  /// warning or an error, what it says more.
  std::vector<FindingNote> Notes;
  /// The managed function it is about, qualified (for summaries).
  std::string Function;
};

/// What \p Verdicts report, merged and in source order: one finding per
/// line Go would print, none inside system headers but errors.
std::vector<Finding> collectFindings(std::vector<escape::Verdict> Verdicts,
                                     const PluginOptions &Options,
                                     const clang::SourceManager &SM);

/// As compiler diagnostics: remarks at m, their flow as notes at m=2,
/// warnings and errors, with their notes, at every level.
void printFindings(const std::vector<Finding> &Findings,
                   const PluginOptions &Options,
                   clang::DiagnosticsEngine &Diags);

/// As LSP diagnostics (the shape described above), flows included.
llvm::json::Array lspDiagnostics(const std::vector<Finding> &Findings,
                                 const clang::SourceManager &SM);

/// The file: URI of an absolute path, percent-encoded as RFC 3986 says.
std::string uriOfPath(llvm::StringRef Path);

/// The absolute, normalised path of the main file.
std::string mainFilePath(const clang::SourceManager &SM);

/// json=DIR: \p Findings as DIR/NAME.HASH.json (above); an error through
/// \p Diags when the file cannot be written.
void writeJsonReport(const std::vector<Finding> &Findings, llvm::StringRef Dir,
                     clang::DiagnosticsEngine &Diags,
                     const clang::SourceManager &SM);

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_ESCAPEREPORT_H
