//===-- Server.cpp - The server: documents, runs, publishing --------------===//

#include "Server.h"
#include "frontend/EscapeReport.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <thread>

using clang::tooling::CompileCommand;

namespace gostack::lsp {

void Settings::update(const llvm::json::Object &Json) {
  if (std::optional<bool> On = Json.getBoolean("enable"))
    Enable = *On;
  if (const llvm::json::Object *Kinds = Json.getObject("kinds"))
    for (const auto &[Kind, Shown] : *Kinds) {
      if (Shown.getAsBoolean().value_or(true))
        Hidden.erase(Kind.str());
      else
        Hidden.insert(Kind.str());
    }
  if (std::optional<llvm::StringRef> Path =
          Json.getString("compilationDatabasePath"))
    CompilationDatabasePath = Path->str();
  if (std::optional<llvm::StringRef> Path = Json.getString("plugin"))
    Plugin = Path->str();
  if (std::optional<int64_t> Seconds = Json.getInteger("timeoutSeconds");
      Seconds && *Seconds > 0)
    TimeoutSeconds = static_cast<unsigned>(*Seconds);
}

Server::Server(MessageWriter &Out, Settings Defaults)
    : Out(Out), Config(std::move(Defaults)) {}

int Server::serve(std::FILE *In) {
  bool Exit = false;
  while (!Exit) {
    std::optional<llvm::json::Value> Message = readMessage(In);
    if (!Message)
      break;
    const llvm::json::Object *Object = Message->getAsObject();
    if (!Object)
      continue;
    Exit = Object->getString("method") == "exit";
    if (!Exit)
      handle(*Object);
  }
  // Stop every run and let their threads finish before the streams go.
  std::unique_lock<std::mutex> Guard(Lock);
  for (auto &Entry : Documents)
    if (Entry.second.Cancel)
      *Entry.second.Cancel = true;
  RunsDone.wait_for(Guard, std::chrono::seconds(10),
                    [&] { return Running == 0; });
  return ShutDown ? 0 : 1;
}

void Server::handle(const llvm::json::Object &Message) {
  llvm::StringRef Method = Message.getString("method").value_or("");
  const llvm::json::Value *Id = Message.get("id");
  const llvm::json::Object *Params = Message.getObject("params");
  if (Method.empty())
    return; // a response to nothing we asked
  if (Method == "initialize" && Id)
    return initialize(*Id, Params);
  if (!Initialized) {
    if (Id)
      Out.respondError(*Id, ServerNotInitialized, "not initialized");
    return;
  }
  if (Method == "shutdown" && Id) {
    ShutDown = true;
    return Out.respond(*Id, nullptr);
  }
  auto DocumentPath = [&]() -> std::string {
    const llvm::json::Object *Document =
        Params ? Params->getObject("textDocument") : nullptr;
    return Document ? pathOfUri(Document->getString("uri").value_or("")) : "";
  };
  if (Method == "textDocument/didOpen" || Method == "textDocument/didSave") {
    if (std::string Path = DocumentPath(); !Path.empty())
      analyse(Path);
    return;
  }
  if (Method == "textDocument/didClose") {
    if (std::string Path = DocumentPath(); !Path.empty())
      close(Path);
    return;
  }
  if (Method == "workspace/didChangeConfiguration") {
    const llvm::json::Object *Changed =
        Params ? Params->getObject("settings") : nullptr;
    if (Changed && Changed->getObject("gostack"))
      Changed = Changed->getObject("gostack");
    if (!Changed)
      return;
    std::vector<std::string> Rerun;
    {
      std::lock_guard<std::mutex> Guard(Lock);
      bool WasEnabled = Config.Enable;
      Config.update(*Changed);
      std::set<std::string> Paths = allPaths();
      Paths.insert(Published.begin(), Published.end());
      publish(Paths);
      if (Config.Enable && !WasEnabled)
        for (const auto &Entry : Documents)
          Rerun.push_back(Entry.getKey().str());
    }
    for (const std::string &Path : Rerun)
      analyse(Path);
    return;
  }
  if (Id)
    Out.respondError(*Id, MethodNotFound,
                     ("gostack-lsp: no method " + Method).str());
}

void Server::initialize(const llvm::json::Value &Id,
                        const llvm::json::Object *Params) {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (Params)
      if (const llvm::json::Object *Options =
              Params->getObject("initializationOptions"))
        Config.update(*Options);
    if (Params)
      if (std::optional<llvm::StringRef> Root = Params->getString("rootUri"))
        RootPath = pathOfUri(*Root);
    Initialized = true;
  }
  Out.respond(
      Id,
      llvm::json::Object{
          {"capabilities",
           llvm::json::Object{
               {"textDocumentSync",
                llvm::json::Object{
                    {"openClose", true},
                    {"change", 0},
                    {"save", llvm::json::Object{{"includeText", false}}}}}}},
          {"serverInfo",
           llvm::json::Object{{"name", "gostack-lsp"}, {"version", "0.1.0"}}}});
}

void Server::log(llvm::StringRef Message, int Type) {
  Out.notify("window/logMessage",
             llvm::json::Object{{"type", Type}, {"message", Message}});
}

void Server::show(llvm::StringRef Message, int Type) {
  log(Message, Type);
  Out.notify("window/showMessage",
             llvm::json::Object{{"type", Type}, {"message", Message}});
}

static bool isHeader(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return Ext == ".h" || Ext == ".hh" || Ext == ".hpp" || Ext == ".hxx" ||
         Ext == ".inc" || Ext.empty();
}

std::optional<CompileCommand> Server::commandFor(const std::string &Path,
                                                 std::string &Why) {
  // The database: the setting's, or the nearest above the file (in a
  // directory or its build/ subdirectory).
  llvm::SmallString<256> DatabaseFile;
  if (!Config.CompilationDatabasePath.empty()) {
    DatabaseFile = Config.CompilationDatabasePath;
    if (llvm::sys::path::is_relative(DatabaseFile) && !RootPath.empty())
      DatabaseFile = RootPath + "/" + Config.CompilationDatabasePath;
    if (llvm::sys::path::extension(DatabaseFile) != ".json")
      llvm::sys::path::append(DatabaseFile, "compile_commands.json");
  } else {
    for (llvm::StringRef Dir = llvm::sys::path::parent_path(Path);
         !Dir.empty() && DatabaseFile.empty();
         Dir = llvm::sys::path::parent_path(Dir))
      for (const char *Candidate :
           {"compile_commands.json", "build/compile_commands.json"}) {
        llvm::SmallString<256> File(Dir);
        llvm::sys::path::append(File, Candidate);
        if (llvm::sys::fs::exists(File)) {
          DatabaseFile = File;
          break;
        }
      }
  }
  if (DatabaseFile.empty()) {
    Why = "no compile_commands.json above " + Path +
          " (set gostack.compilationDatabasePath)";
    return std::nullopt;
  }
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(DatabaseFile, Status)) {
    Why = "cannot read " + DatabaseFile.str().str();
    return std::nullopt;
  }
  LoadedDatabase &Loaded = Databases[DatabaseFile.str().str()];
  if (!Loaded.Database || Loaded.Modified != Status.getLastModificationTime()) {
    std::string Error;
    Loaded.Database = clang::tooling::JSONCompilationDatabase::loadFromFile(
        DatabaseFile, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
    Loaded.Modified = Status.getLastModificationTime();
    if (!Loaded.Database) {
      Why = "cannot read " + DatabaseFile.str().str() + ": " + Error;
      return std::nullopt;
    }
  }
  std::vector<CompileCommand> Commands =
      Loaded.Database->getCompileCommands(Path);
  if (Commands.empty()) {
    Why = Path + " is not in " + DatabaseFile.str().str();
    return std::nullopt;
  }
  // Whether its compiler can load the plugin, the plugin's loader says.
  return Commands.front();
}

void Server::analyse(const std::string &Path) {
  std::lock_guard<std::mutex> Guard(Lock);
  Document &Doc = Documents[Path];
  if (Doc.Cancel)
    *Doc.Cancel = true;
  ++Doc.Generation;
  Doc.Cancel = std::make_shared<std::atomic<bool>>(false);
  if (!Config.Enable)
    return;
  std::string Why;
  std::optional<CompileCommand> Command = commandFor(Path, Why);
  if (!Command) {
    if (isHeader(Path) || !Warned.insert(Path).second)
      log("gostack: " + Why);
    else
      show("gostack: " + Why + "; no escape verdicts for it", 2);
    return;
  }
  if (!llvm::sys::fs::exists(Config.Plugin)) {
    show("gostack: the plugin is not at " + Config.Plugin +
             " (start gostack-lsp with --plugin=PATH)",
         1);
    return;
  }
  ++Running;
  std::thread([this, Path, Command = std::move(*Command),
               Plugin = Config.Plugin, Timeout = Config.TimeoutSeconds,
               Generation = Doc.Generation, Cancel = Doc.Cancel] {
    CompileRun Run;
    Run.Status = CompileRun::Cancelled;
    if (Compiles.acquire(*Cancel)) {
      Run = runCompile(Command, Plugin, Timeout, *Cancel);
      Compiles.release();
    }
    finish(Path, Generation, std::move(Run));
  }).detach();
}

Server::CompileSlots::CompileSlots()
    : Free(std::max(2u, std::thread::hardware_concurrency() / 2)) {}

bool Server::CompileSlots::acquire(const std::atomic<bool> &Cancel) {
  std::unique_lock<std::mutex> Guard(Lock);
  while (Free == 0 && !Cancel)
    Released.wait_for(Guard, std::chrono::milliseconds(20));
  if (Cancel)
    return false;
  --Free;
  return true;
}

void Server::CompileSlots::release() {
  std::lock_guard<std::mutex> Guard(Lock);
  ++Free;
  Released.notify_one();
}

/// Files may be reached through other names (a symbolic link): the
/// report's name for the document is the document's.
static void renameDocument(CompileRun &Run, const std::string &Path) {
  for (auto It = Run.ByPath.begin(); It != Run.ByPath.end(); ++It)
    if (It->first != Path && llvm::sys::fs::equivalent(It->first, Path)) {
      llvm::json::Array Moved = std::move(It->second);
      Run.ByPath.erase(It);
      llvm::json::Array &Into = Run.ByPath[Path];
      for (llvm::json::Value &D : Moved)
        Into.push_back(std::move(D));
      return;
    }
}

void Server::finish(const std::string &Path, unsigned Generation,
                    CompileRun Run) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto Done = llvm::make_scope_exit([&] {
    --Running;
    RunsDone.notify_all();
  });
  auto It = Documents.find(Path);
  if (It == Documents.end() || It->second.Generation != Generation ||
      Run.Status == CompileRun::Cancelled)
    return; // closed or superseded
  Document &Doc = It->second;
  std::set<std::string> Paths;
  for (const auto &Entry : Doc.Verdicts)
    Paths.insert(Entry.first);
  Doc.Verdicts.clear();
  std::string Name = llvm::sys::path::filename(Path).str();
  std::string Seconds = llvm::formatv("{0:f2}", Run.Seconds).str();
  switch (Run.Status) {
  case CompileRun::Verdicts: {
    renameDocument(Run, Path);
    size_t Count = 0;
    for (auto &Entry : Run.ByPath) {
      Paths.insert(Entry.first);
      Count += Entry.second.size();
    }
    Doc.Verdicts = std::move(Run.ByPath);
    log("gostack: " + Name + ": " + std::to_string(Count) + " verdicts in " +
        Seconds + " s");
    break;
  }
  case CompileRun::CompileFailed:
    // The plugin's loader refusing a compiler is the user's to fix.
    if (llvm::StringRef(Run.Detail).contains("gostack plugin:")) {
      show("gostack: " + Name + ": " + Run.Detail, 1);
      break;
    }
    log("gostack: " + Name + " does not compile, no verdicts until it does (" +
        Seconds + " s): " + Run.Detail);
    break;
  case CompileRun::Crashed:
    show("gostack: the compiler crashed on " + Name + ": " + Run.Detail, 1);
    break;
  case CompileRun::TimedOut:
    show("gostack: " + Name + ": the compile " + Run.Detail +
             " (gostack.timeoutSeconds)",
         2);
    break;
  case CompileRun::CannotRun:
    show("gostack: " + Name + ": " + Run.Detail, 1);
    break;
  case CompileRun::Cancelled:
    break;
  }
  publish(Paths);
}

void Server::close(const std::string &Path) {
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Documents.find(Path);
  if (It == Documents.end())
    return;
  if (It->second.Cancel)
    *It->second.Cancel = true;
  std::set<std::string> Paths;
  for (const auto &Entry : It->second.Verdicts)
    Paths.insert(Entry.first);
  Documents.erase(It);
  publish(Paths);
}

std::set<std::string> Server::allPaths() const {
  std::set<std::string> Paths;
  for (const auto &Entry : Documents)
    for (const auto &Verdicts : Entry.second.Verdicts)
      Paths.insert(Verdicts.first);
  return Paths;
}

void Server::publish(const std::set<std::string> &Paths) {
  for (const std::string &Path : Paths) {
    llvm::json::Array Diagnostics;
    std::set<std::string> Seen;
    for (const auto &Entry : Documents) {
      auto Found = Entry.second.Verdicts.find(Path);
      if (!Config.Enable || Found == Entry.second.Verdicts.end())
        continue;
      for (const llvm::json::Value &D : Found->second) {
        const llvm::json::Object *Object = D.getAsObject();
        std::string Code =
            Object ? Object->getString("code").value_or("").str() : "";
        std::string Key;
        llvm::raw_string_ostream(Key) << D;
        if (!Config.Hidden.count(Code) && Seen.insert(Key).second)
          Diagnostics.push_back(D);
      }
    }
    bool Empty = Diagnostics.empty();
    Out.notify("textDocument/publishDiagnostics",
               llvm::json::Object{{"uri", gostack::uriOfPath(Path)},
                                  {"diagnostics", std::move(Diagnostics)}});
    if (Empty)
      Published.erase(Path);
    else
      Published.insert(Path);
  }
}

} // namespace gostack::lsp
