//===-- CompileRun.h - One syntax-only compile with the plugin --*- C++ -*-===//
//
/// \file
/// The language server's verdicts are the build's: it runs the file's own
/// compile command from compile_commands.json, made syntax-only (no object,
/// no dependency file), with the plugin loaded (if the build does not load
/// it already) and its json=DIR report into a fresh directory, and reads the
/// report back. The build's own plugin arguments (managed=all, ...) apply.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_TOOLS_GOSTACK_LSP_COMPILERUN_H
#define GOSTACK_TOOLS_GOSTACK_LSP_COMPILERUN_H

#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/JSON.h"

#include <atomic>
#include <map>
#include <string>
#include <vector>

namespace gostack::lsp {

struct CompileRun {
  enum StatusKind {
    Verdicts,      ///< the plugin wrote its report
    CompileFailed, ///< the file does not compile: no verdicts
    Crashed,       ///< the compiler (or the plugin in it) crashed
    TimedOut,      ///< killed after the time limit
    Cancelled,     ///< superseded by a newer run
    CannotRun,     ///< the compiler could not be started
  };
  StatusKind Status = CannotRun;
  /// LSP diagnostics per file path (the report's, without their uri).
  std::map<std::string, llvm::json::Array> ByPath;
  /// Why there are no verdicts: the compiler's first error, or a reason.
  std::string Detail;
  double Seconds = 0;
};

/// The arguments that run \p Command syntax-only with the plugin at
/// \p Plugin reporting into \p JsonDir.
std::vector<std::string>
syntaxOnlyArguments(const clang::tooling::CompileCommand &Command,
                    llvm::StringRef Plugin, llvm::StringRef JsonDir);

/// Runs \p Command as above; kills it when \p Cancel becomes true or after
/// \p TimeoutSeconds.
CompileRun runCompile(const clang::tooling::CompileCommand &Command,
                      llvm::StringRef Plugin, unsigned TimeoutSeconds,
                      const std::atomic<bool> &Cancel);

/// The path of a file: URI (the inverse of gostack::uriOfPath).
std::string pathOfUri(llvm::StringRef Uri);

} // namespace gostack::lsp

#endif // GOSTACK_TOOLS_GOSTACK_LSP_COMPILERUN_H
