//===-- CompileRun.cpp - One syntax-only compile with the plugin ----------===//

#include "CompileRun.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <chrono>
#include <csignal>
#include <thread>

namespace gostack::lsp {

std::string pathOfUri(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return "";
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    unsigned Byte;
    if (Uri[I] == '%' && I + 2 < Uri.size() &&
        !Uri.substr(I + 1, 2).getAsInteger(16, Byte)) {
      Path.push_back(static_cast<char>(Byte));
      I += 2;
    } else {
      Path.push_back(Uri[I]);
    }
  }
  return Path;
}

/// Launchers in front of the compiler, which the run does not need.
static bool isLauncher(llvm::StringRef Program) {
  llvm::StringRef Name = llvm::sys::path::filename(Program);
  return Name == "ccache" || Name == "sccache" || Name == "distcc";
}

std::vector<std::string>
syntaxOnlyArguments(const clang::tooling::CompileCommand &Command,
                    llvm::StringRef Plugin, llvm::StringRef JsonDir) {
  llvm::ArrayRef<std::string> In = Command.CommandLine;
  while (!In.empty() && isLauncher(In.front()))
    In = In.drop_front();
  std::vector<std::string> Out;
  bool HasPlugin = false;
  for (size_t I = 0; I < In.size(); ++I) {
    llvm::StringRef Arg = In[I];
    if (I == 0) {
      Out.push_back(Arg.str());
      continue;
    }
    // Outputs: the run writes nothing of the build's.
    if (Arg == "-o" || Arg == "-MF" || Arg == "-MT" || Arg == "-MQ") {
      ++I;
      continue;
    }
    if (Arg == "-c" || Arg == "-MD" || Arg == "-MMD" || Arg == "-MP" ||
        Arg == "-M" || Arg == "-MM" || (Arg.starts_with("-o") && Arg != "-o"))
      continue;
    // The run's own report, not the build's; no remarks on stderr.
    if (Arg.starts_with("-fplugin-arg-gostack-json=") ||
        Arg == "-fplugin-arg-gostack-m" ||
        Arg.starts_with("-fplugin-arg-gostack-m="))
      continue;
    if (Arg.starts_with("-fplugin=") && Arg.contains("gostack"))
      HasPlugin = true;
    Out.push_back(Arg.str());
  }
  Out.push_back("-fsyntax-only");
  if (!HasPlugin)
    Out.push_back(("-fplugin=" + Plugin).str());
  Out.push_back(("-fplugin-arg-gostack-json=" + JsonDir).str());
  return Out;
}

/// The first line of the compiler's output that says "error", or its last
/// line.
static std::string firstError(llvm::StringRef Output) {
  llvm::SmallVector<llvm::StringRef, 32> Lines;
  Output.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Line : Lines)
    if (Line.contains("error:") || Line.contains("fatal error"))
      return Line.str();
  return Lines.empty() ? "" : Lines.back().str();
}

/// Reads the report(s) in \p Dir; false when there is none.
static bool readReports(llvm::StringRef Dir, CompileRun &Run) {
  std::error_code EC;
  bool Found = false;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
        llvm::MemoryBuffer::getFile(It->path());
    if (!Buffer)
      continue;
    llvm::Expected<llvm::json::Value> Report =
        llvm::json::parse((*Buffer)->getBuffer());
    if (!Report) {
      llvm::consumeError(Report.takeError());
      continue;
    }
    const llvm::json::Object *Document = Report->getAsObject();
    const llvm::json::Array *Diagnostics =
        Document ? Document->getArray("diagnostics") : nullptr;
    if (!Diagnostics)
      continue;
    Found = true;
    if (std::optional<llvm::StringRef> Main = Document->getString("file"))
      Run.ByPath[Main->str()]; // the main file's list, even when empty
    for (const llvm::json::Value &Diagnostic : *Diagnostics) {
      const llvm::json::Object *D = Diagnostic.getAsObject();
      if (!D)
        continue;
      // An LSP Diagnostic: the report's, without the uri it is published
      // under.
      llvm::json::Object Published;
      for (const auto &[Key, Value] : *D)
        if (Key != "uri")
          Published[Key] = Value;
      Run.ByPath[pathOfUri(D->getString("uri").value_or(""))].push_back(
          std::move(Published));
    }
  }
  return Found;
}

CompileRun runCompile(const clang::tooling::CompileCommand &Command,
                      llvm::StringRef Plugin, unsigned TimeoutSeconds,
                      const std::atomic<bool> &Cancel) {
  auto Start = std::chrono::steady_clock::now();
  auto Elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         Start)
        .count();
  };
  CompileRun Run;
  llvm::SmallString<128> JsonDir, Stderr;
  if (llvm::sys::fs::createUniqueDirectory("gostack-lsp", JsonDir) ||
      llvm::sys::fs::createTemporaryFile("gostack-lsp", "stderr", Stderr)) {
    Run.Detail = "cannot create a temporary file";
    return Run;
  }
  auto CleanUp = llvm::make_scope_exit([&] {
    llvm::sys::fs::remove_directories(JsonDir);
    llvm::sys::fs::remove(Stderr);
  });
  std::vector<std::string> Args = syntaxOnlyArguments(Command, Plugin, JsonDir);
  if (Args.empty()) {
    Run.Detail = "the compile command is empty";
    return Run;
  }
  // The command runs in its own directory; LLVM's ExecuteNoWait has no
  // working directory, so a shell changes to it and becomes the compiler.
  std::vector<llvm::StringRef> Shell = {
      "/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", Command.Directory};
  for (const std::string &Arg : Args)
    Shell.push_back(Arg);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef("/dev/null"),
                                                llvm::StringRef("/dev/null"),
                                                llvm::StringRef(Stderr)};
  std::string Error;
  bool Failed = false;
  llvm::sys::ProcessInfo Child = llvm::sys::ExecuteNoWait(
      "/bin/sh", Shell, std::nullopt, Redirects, 0, &Error, &Failed);
  if (Failed) {
    Run.Detail = "cannot run " + Args.front() + ": " + Error;
    return Run;
  }
  // Poll, so that a cancelled or slow run is killed before it is reaped
  // (never a reused pid).
  llvm::sys::ProcessInfo Done;
  while (true) {
    Done = llvm::sys::Wait(Child, 0, &Error, nullptr, /*Polling=*/true);
    if (Done.Pid != 0)
      break;
    bool TooLong = Elapsed() > TimeoutSeconds;
    if (Cancel || TooLong) {
      ::kill(Child.Pid, SIGKILL);
      llvm::sys::Wait(Child, std::nullopt);
      Run.Status =
          TooLong && !Cancel ? CompileRun::TimedOut : CompileRun::Cancelled;
      Run.Detail =
          TooLong ? "stopped after " + std::to_string(TimeoutSeconds) + " s"
                  : "superseded";
      Run.Seconds = Elapsed();
      return Run;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Run.Seconds = Elapsed();
  std::string Output;
  if (llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
          llvm::MemoryBuffer::getFile(Stderr))
    Output = (*Buffer)->getBuffer().str();
  bool Crashed = Done.ReturnCode == -2 ||
                 llvm::StringRef(Output).contains("PLEASE submit a bug report");
  if (!Crashed && readReports(JsonDir, Run)) {
    Run.Status = CompileRun::Verdicts;
    return Run;
  }
  Run.Status = Crashed ? CompileRun::Crashed : CompileRun::CompileFailed;
  Run.Detail = firstError(Output);
  if (Run.Detail.empty())
    Run.Detail = "exit status " + std::to_string(Done.ReturnCode);
  return Run;
}

} // namespace gostack::lsp
