//===-- MarkManagedPass.cpp - Mark managed functions in the IR ------------===//

#include "pass/MarkManagedPass.h"

#include "llvm/ADT/SmallPtrSet.h"
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

/// Marks \p F managed and gives it the stack check: LLVM's split-stack
/// prologue compares the stack pointer, less the frame, with the guard at
/// %fs:0x70 and calls __morestack (the runtime's) when it is below.
static void markManaged(Function &F) {
  F.addFnAttr(ManagedFnAttr);
  // LLVM cannot check variadic functions (va_start finds the arguments
  // relative to the frame); they run unchecked, as native code does, in
  // the reserve below the guard.
  if (!F.isVarArg())
    F.addFnAttr(StackCheckFnAttr);
}

/// Tells the runtime, through a symbol it references weakly, that the
/// program has stack checks: its goroutines may then start on small stacks
/// (a program built without the plugin cannot grow them). weak_odr, not
/// linkonce_odr: nothing in the module refers to it, and it must survive
/// optimisation.
static void defineStackChecksMarker(Module &M) {
  if (M.getNamedGlobal(StackChecksMarker))
    return;
  auto *Int8 = Type::getInt8Ty(M.getContext());
  new GlobalVariable(M, Int8, /*isConstant=*/true, GlobalValue::WeakODRLinkage,
                     ConstantInt::get(Int8, 1), StackChecksMarker);
}

/// Functions without the stack check run on a goroutine's stack in the
/// reserve below its guard. A frame larger than a page gets probes, as with
/// -fstack-clash-protection: it touches each page on the way down, so it
/// faults in the guard (a stack overflow the runtime names) instead of
/// stepping over the guard onto another goroutine's stack.
static void probeUncheckedFrames(Module &M) {
  for (Function &F : M)
    if (!F.isDeclaration() && !F.hasFnAttribute(StackCheckFnAttr) &&
        !F.hasFnAttribute(StackProbeFnAttr))
      F.addFnAttr(StackProbeFnAttr, "inline-asm");
}

PreservedAnalyses MarkManagedPass::run(Module &M, ModuleAnalysisManager &) {
  const GlobalVariable *Annotations =
      M.getNamedGlobal("llvm.global.annotations");
  const auto *Entries =
      Annotations && Annotations->hasInitializer()
          ? dyn_cast<ConstantArray>(Annotations->getInitializer())
          : nullptr;
  if (!Entries) {
    probeUncheckedFrames(M);
    return PreservedAnalyses::all();
  }

  SmallPtrSet<Function *, 8> Managed, EntryPoints;
  for (const Use &Op : Entries->operands()) {
    const auto *Entry = dyn_cast<ConstantStruct>(Op.get());
    auto *F =
        Entry ? dyn_cast<Function>(Entry->getOperand(0)->stripPointerCasts())
              : nullptr;
    if (!F)
      continue;
    StringRef Annotation = annotationOf(Entry);
    if (Annotation == ManagedAnnotation)
      Managed.insert(F);
    else if (Annotation == EntryAnnotation)
      EntryPoints.insert(F);
  }
  for (Function *F : Managed)
    markManaged(*F);
  // gostack's own entry functions have checks too, but only the program's
  // managed code makes small stacks safe to start on.
  if (any_of(Managed, [&](Function *F) { return !EntryPoints.contains(F); }))
    defineStackChecksMarker(M);
  probeUncheckedFrames(M);
  // A string attribute changes no analysis result.
  return PreservedAnalyses::all();
}

} // namespace gostack
