//===-- Server.h - The server: documents, runs, publishing ------*- C++ -*-===//
//
/// \file
/// gostack-lsp shows the plugin's escape verdicts in an editor, next to
/// clangd (which cannot load plugins): on open and on save it runs the
/// file's compile command with the plugin, syntax-only (CompileRun.h), and
/// publishes the report as Information diagnostics with the m=2 flow as
/// related information, as gopls shows Go's "compiler optimization details".
///
/// Invariants:
///  - the reader thread never waits for a compile: each run has a thread,
///    and at most half the cores' worth (two at least) compile at once;
///  - a run is superseded by the next for the same file, and killed;
///  - what is published for a path is the union of the latest verdicts of
///    every open file whose compile reaches it (a header is reached by
///    several), filtered by the settings; a path that no longer has any is
///    published empty, so stale diagnostics are cleared.
///
/// Settings (initializationOptions, or workspace/didChangeConfiguration's
/// settings.gostack): enable (true), kinds ({"does-not-escape": false}
/// hides a kind), compilationDatabasePath, plugin, timeoutSeconds (300).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_TOOLS_GOSTACK_LSP_SERVER_H
#define GOSTACK_TOOLS_GOSTACK_LSP_SERVER_H

#include "CompileRun.h"
#include "Protocol.h"

#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringMap.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>

namespace gostack::lsp {

struct Settings {
  bool Enable = true;
  /// Kinds (diagnostic codes) switched off.
  std::set<std::string> Hidden;
  std::string CompilationDatabasePath;
  std::string Plugin;
  unsigned TimeoutSeconds = 300;

  /// Applies what \p Json says, leaving the rest as it is.
  void update(const llvm::json::Object &Json);
};

class Server {
public:
  Server(MessageWriter &Out, Settings Defaults);

  /// Serves until `exit` or the end of input; returns the exit status.
  int serve(std::FILE *In);

private:
  /// An open file and its latest run.
  struct Document {
    unsigned Generation = 0;
    std::shared_ptr<std::atomic<bool>> Cancel;
    /// The latest verdicts per path, unfiltered.
    std::map<std::string, llvm::json::Array> Verdicts;
  };

  void handle(const llvm::json::Object &Message);
  void initialize(const llvm::json::Value &Id,
                  const llvm::json::Object *Params);
  void analyse(const std::string &Path);
  void finish(const std::string &Path, unsigned Generation, CompileRun Run);
  void close(const std::string &Path);
  /// Publishes \p Paths from every document's verdicts. Lock held.
  void publish(const std::set<std::string> &Paths);
  /// Every path any document has verdicts for. Lock held.
  std::set<std::string> allPaths() const;
  /// The compile command of \p Path, or a message saying why there is none.
  std::optional<clang::tooling::CompileCommand>
  commandFor(const std::string &Path, std::string &Why);
  void log(llvm::StringRef Message, int Type = 3);
  void show(llvm::StringRef Message, int Type);

  MessageWriter &Out;
  std::mutex Lock;
  Settings Config;
  llvm::StringMap<Document> Documents;
  /// What is on the client's screen now, per path.
  std::set<std::string> Published;
  /// Loaded databases by their file, with the time they were read.
  struct LoadedDatabase {
    std::unique_ptr<clang::tooling::CompilationDatabase> Database;
    llvm::sys::TimePoint<> Modified;
  };
  std::map<std::string, LoadedDatabase> Databases;
  /// Files already told about (not in a database), so as to say it once.
  std::set<std::string> Warned;
  /// The workspace root, for a relative compilationDatabasePath.
  std::string RootPath;
  /// At most half the cores (but two, so that a slow file never holds up
  /// all others) compile at once: a project opened file by file must not
  /// start one compiler per file. A run waits for a slot on its own thread,
  /// and gives up waiting when it is superseded.
  class CompileSlots {
  public:
    CompileSlots();
    bool acquire(const std::atomic<bool> &Cancel);
    void release();

  private:
    std::mutex Lock;
    std::condition_variable Released;
    unsigned Free;
  } Compiles;
  bool Initialized = false, ShutDown = false;
  unsigned Running = 0;
  std::condition_variable RunsDone;
};

} // namespace gostack::lsp

#endif // GOSTACK_TOOLS_GOSTACK_LSP_SERVER_H
