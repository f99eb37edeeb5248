//===-- MarkManagedPass.h - Mark managed functions in the IR ----*- C++ -*-===//
//
/// \file
/// The IR half of the plugin starts here. Code generation records every
/// managed function in @llvm.global.annotations (see ManagedFunctions.h);
/// this pass gives each of them the function attribute "gostack-managed",
/// and "split-stack": the prologue check against the goroutine's stack
/// guard, which code generation emits and the runtime's __morestack answers
/// by moving the stack (docs/STACKS.md). Every other function defined in
/// the module gets stack probes ("probe-stack"), so that a large native
/// frame faults in the guard rather than jumping over it.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_PASS_MARKMANAGEDPASS_H
#define GOSTACK_PLUGIN_PASS_MARKMANAGEDPASS_H

#include "frontend/ManagedAnnotation.h"

#include "llvm/IR/PassManager.h"

namespace gostack {

/// The function attribute that marks a managed function in the IR.
inline constexpr llvm::StringLiteral ManagedFnAttr = "gostack-managed";
/// LLVM's attribute for a stack-limit check in the prologue.
inline constexpr llvm::StringLiteral StackCheckFnAttr = "split-stack";
/// LLVM's attribute for stack probes in frames larger than a page.
inline constexpr llvm::StringLiteral StackProbeFnAttr = "probe-stack";
/// Defined in every module with a managed function; the runtime's
/// starting stack size depends on it (runtime/src/sched/stack_growth.h).
inline constexpr llvm::StringLiteral StackChecksMarker =
    "gostack_stack_checks_linked";

class MarkManagedPass : public llvm::PassInfoMixin<MarkManagedPass> {
public:
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  /// Runs at -O0 too, where optnone would otherwise skip it.
  static bool isRequired() { return true; }
};

} // namespace gostack

#endif // GOSTACK_PLUGIN_PASS_MARKMANAGEDPASS_H
