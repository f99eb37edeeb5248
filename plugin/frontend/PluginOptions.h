//===-- PluginOptions.h - The plugin's command-line arguments ---*- C++ -*-===//
//
/// \file
/// Clang's own -W/-R/-w flags do not govern a plugin's diagnostics, so the
/// arguments below (-fplugin-arg-gostack-ARG) are the user's only switches.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_PLUGINOPTIONS_H
#define GOSTACK_PLUGIN_FRONTEND_PLUGINOPTIONS_H

#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/ArrayRef.h"

#include <optional>
#include <string>

namespace gostack {

struct PluginOptions {
  /// 0: silent; 1 (`m`): escape decisions as remarks; 2 (`m=2`): also the
  /// flow that explains each escape; 3 (`m=3`): also each managed
  /// function's stack map, printed by code generation.
  unsigned ReportLevel = 0;
  /// `managed=all`: every function defined outside system headers is
  /// managed.
  bool ManageAll = false;
  /// Cleared by `no-rewrite`: analyse and report, emit code as without us.
  bool Rewrite = true;
  /// Cleared by `no-stack-maps`: managed calls get no stack maps, and the
  /// runtime scans managed frames word by word, as native ones.
  bool StackMaps = true;
  /// `werror`: gostack warnings are errors.
  bool WarningsAsErrors = false;
  /// `json=DIR`: the verdicts of each translation unit also go to a JSON
  /// file of LSP diagnostics in DIR (EscapeReport.h).
  std::string JsonDir;
};

/// Parses the plugin's arguments. An unknown one is reported as an error
/// that lists the valid ones, and the result is empty.
std::optional<PluginOptions>
parsePluginOptions(llvm::ArrayRef<std::string> Args,
                   clang::DiagnosticsEngine &Diags);

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_PLUGINOPTIONS_H
