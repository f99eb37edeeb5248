//===-- SafePointsPass.h - Stack maps for managed functions -----*- C++ -*-===//
//
/// \file
/// Go's compiler records, for every call in a function, which words of the
/// frame hold pointers there, so that the collector and the stack copier can
/// treat a frame exactly. This pass does the same for managed functions with
/// LLVM's statepoints: each call becomes a gc.statepoint that lists
///  - the frame objects (static allocas, byval arguments) with their sizes,
///    as deopt operands, which code generation reports as frame offsets;
///  - every pointer value live across the call, as gc-live operands, which
///    code generation keeps in callee-saved registers or spills to frame
///    slots, reloaded after the call (gc.relocate), so a stack move that
///    adjusts the slot (or the word a callee saved the register to) adjusts
///    the value.
/// Code generation then writes one record per return address to the
/// section gostack_stackmaps (StackMapStrategy.cpp);
/// runtime/src/sched/stack_maps.cpp reads them. Values not
/// listed (integers, floats) are not pointers, which is what lets the
/// runtime leave them alone. Runs after the optimiser (OptimizerLastEP), so
/// SROA and promotion see the code as before; docs/STACKS.md says what the
/// maps cannot see.
///
/// Try it:
///   clang++ -O2 -fplugin=libgostack-plugin.so -fplugin-arg-gostack-m=3 \
///     -c f.cpp
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_PASS_SAFEPOINTSPASS_H
#define GOSTACK_PLUGIN_PASS_SAFEPOINTSPASS_H

#include "llvm/IR/PassManager.h"

namespace gostack {

class SafePointsPass : public llvm::PassInfoMixin<SafePointsPass> {
public:
  /// \p DumpMaps: code generation prints each function's map (m=3).
  explicit SafePointsPass(bool DumpMaps = false) : DumpMaps(DumpMaps) {}
  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &);
  /// Runs at -O0 too: the runtime relies on every managed frame having maps.
  static bool isRequired() { return true; }

private:
  bool DumpMaps;
};

} // namespace gostack

#endif // GOSTACK_PLUGIN_PASS_SAFEPOINTSPASS_H
