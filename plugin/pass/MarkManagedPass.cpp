//===-- MarkManagedPass.cpp - Mark managed functions in the IR ------------===//

#include "pass/MarkManagedPass.h"

#include "frontend/ManagedFunctions.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace gostack {

/// The annotation string of one @llvm.global.annotations entry, whose
/// operands are {annotated value, annotation string, file, line, args}.
static StringRef annotationOf(const ConstantStruct *Entry) {
  const auto *String =
      dyn_cast<GlobalVariable>(Entry->getOperand(1)->stripPointerCasts());
  if (!String || !String->hasInitializer())
    return {};
  const auto *Data = dyn_cast<ConstantDataArray>(String->getInitializer());
  if (!Data || !Data->isCString())
    return {};
  return Data->getAsCString();
}

PreservedAnalyses MarkManagedPass::run(Module &M, ModuleAnalysisManager &) {
  const GlobalVariable *Annotations =
      M.getNamedGlobal("llvm.global.annotations");
  if (!Annotations || !Annotations->hasInitializer())
    return PreservedAnalyses::all();
  const auto *Entries = dyn_cast<ConstantArray>(Annotations->getInitializer());
  if (!Entries)
    return PreservedAnalyses::all();

  for (const Use &Op : Entries->operands()) {
    const auto *Entry = dyn_cast<ConstantStruct>(Op.get());
    if (!Entry || annotationOf(Entry) != ManagedAnnotation)
      continue;
    if (auto *F = dyn_cast<Function>(Entry->getOperand(0)->stripPointerCasts()))
      F->addFnAttr(ManagedFnAttr);
  }
  // A string attribute changes no analysis result.
  return PreservedAnalyses::all();
}

} // namespace gostack
