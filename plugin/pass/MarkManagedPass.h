//===-- MarkManagedPass.h - Mark managed functions in the IR ----*- C++ -*-===//
//
/// \file
/// The IR half of the plugin starts here. Code generation records every
/// managed function in @llvm.global.annotations (see ManagedFunctions.h);
/// this pass gives each of them the function attribute "gostack-managed", the
/// mark every later IR transformation (stack-guard prologues, stack maps)
/// keys on.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_PASS_MARKMANAGEDPASS_H
#define GOSTACK_PLUGIN_PASS_MARKMANAGEDPASS_H

#include "llvm/IR/PassManager.h"

namespace gostack {

/// The function attribute that marks a managed function in the IR.
inline constexpr llvm::StringLiteral ManagedFnAttr = "gostack-managed";

class MarkManagedPass : public llvm::PassInfoMixin<MarkManagedPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  /// Runs at -O0 too, where optnone would otherwise skip it.
  static bool isRequired() { return true; }
};

} // namespace gostack

#endif // GOSTACK_PLUGIN_PASS_MARKMANAGEDPASS_H
