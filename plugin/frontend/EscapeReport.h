//===-- EscapeReport.h - Escape verdicts as compiler remarks ----*- C++ -*-===//
//
/// \file
/// Prints the analysis' verdicts as Go prints them (CONTRACT section 5):
/// remarks with `m`, flow notes with `m=2`, nothing inside system headers,
/// in source order, each location once even when several template
/// instantiations reach it (the escaping verdict wins). A broken
/// [[clang::noescape]] promise is an error whatever the level.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_ESCAPEREPORT_H
#define GOSTACK_PLUGIN_FRONTEND_ESCAPEREPORT_H

#include "escape/Escape.h"
#include "frontend/PluginOptions.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"

namespace gostack {

void reportVerdicts(std::vector<escape::Verdict> Verdicts,
                    const PluginOptions &Options,
                    clang::DiagnosticsEngine &Diags,
                    const clang::SourceManager &SM);

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_ESCAPEREPORT_H
