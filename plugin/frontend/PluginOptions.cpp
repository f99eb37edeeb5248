//===-- PluginOptions.cpp - The plugin's command-line arguments -----------===//

#include "frontend/PluginOptions.h"

#include "llvm/ADT/StringRef.h"

using namespace clang;

namespace gostack {

namespace {
using Setter = void (*)(PluginOptions &);
} // namespace

/// Every valid argument and what it sets; the order is the one the error
/// message lists them in.
static constexpr std::pair<llvm::StringLiteral, Setter> ValidArguments[] = {
    {"m", [](PluginOptions &O) { O.ReportLevel = 1; }},
    {"m=2", [](PluginOptions &O) { O.ReportLevel = 2; }},
    {"m=3", [](PluginOptions &O) { O.ReportLevel = 3; }},
    {"managed=all", [](PluginOptions &O) { O.ManageAll = true; }},
    {"no-rewrite", [](PluginOptions &O) { O.Rewrite = false; }},
    {"no-stack-maps", [](PluginOptions &O) { O.StackMaps = false; }},
    {"werror", [](PluginOptions &O) { O.WarningsAsErrors = true; }},
};

/// The argument that takes a value: json=DIR.
static constexpr llvm::StringLiteral JsonPrefix = "json=";

static std::string validArgumentList() {
  std::string List;
  for (const auto &[Name, Set] : ValidArguments)
    List += (List.empty() ? "" : ", ") + Name.str();
  return List + ", " + JsonPrefix.str() + "DIR";
}

std::optional<PluginOptions>
parsePluginOptions(llvm::ArrayRef<std::string> Args, DiagnosticsEngine &Diags) {
  PluginOptions Options;
  bool Valid = true;
  for (llvm::StringRef Arg : Args) {
    const auto *Known = llvm::find_if(
        ValidArguments, [&](const auto &Entry) { return Entry.first == Arg; });
    if (Known != std::end(ValidArguments)) {
      Known->second(Options);
      continue;
    }
    if (Arg.starts_with(JsonPrefix) && Arg.size() > JsonPrefix.size()) {
      Options.JsonDir = Arg.drop_front(JsonPrefix.size()).str();
      continue;
    }
    unsigned ID = Diags.getCustomDiagID(
        DiagnosticsEngine::Error,
        "unknown gostack plugin argument '%0'; valid arguments are: %1 "
        "(each passed as -fplugin-arg-gostack-ARG)");
    Diags.Report(ID) << Arg << validArgumentList();
    Valid = false;
  }
  if (!Valid)
    return std::nullopt;
  return Options;
}

} // namespace gostack
