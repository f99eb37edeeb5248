//===-- GostackLsp.cpp - gostack's language server ------------------------===//
//
// gostack-lsp: a language server on standard input and output that shows
// the plugin's escape verdicts in an editor, next to clangd (Server.h).
//
//   gostack-lsp [--plugin=PATH] [--compile-commands-dir=DIR]
//
// The plugin defaults to ../lib/libgostack-plugin.so next to this program
// (the build tree and an installation alike). Editor set-up: docs/EDITORS.md.
//
//===----------------------------------------------------------------------===//

#include "Server.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace cl = llvm::cl;

static cl::opt<std::string>
    PluginPath("plugin", cl::desc("The gostack plugin, libgostack-plugin.so"),
               cl::value_desc("path"));
static cl::opt<std::string> DatabaseDir(
    "compile-commands-dir",
    cl::desc("Where compile_commands.json is (default: the nearest above "
             "each file, or in its build/ directory)"),
    cl::value_desc("dir"));

/// ../lib/libgostack-plugin.so from this program.
static std::string defaultPlugin(const char *Argv0) {
  static int Anchor;
  llvm::SmallString<256> Path(llvm::sys::fs::getMainExecutable(Argv0, &Anchor));
  llvm::sys::path::remove_filename(Path);
  llvm::sys::path::append(Path, "..", "lib", "libgostack-plugin.so");
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return Path.str().str();
}

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(
      argc, argv,
      "gostack-lsp: the gostack plugin's escape verdicts as LSP diagnostics\n");
  gostack::lsp::Settings Defaults;
  Defaults.Plugin = PluginPath.empty() ? defaultPlugin(argv[0]) : PluginPath;
  Defaults.CompilationDatabasePath = DatabaseDir;
  gostack::lsp::MessageWriter Out(stdout);
  gostack::lsp::Server Server(Out, std::move(Defaults));
  return Server.serve(stdin);
}
