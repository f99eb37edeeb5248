//===-- SafePointsPass.cpp - Stack maps for managed functions -------------===//
//
// The steps, per managed function:
//  0. addresses at constant offsets are recomputed at each use, so that
//     only their bases stay live;
//  1. liveness of pointer values (SSA, per block, then per call);
//  2. each call site becomes a statepoint listing the frame objects and the
//     live pointers; its result becomes gc.result, each live pointer gets a
//     gc.relocate after the call (on both edges of an invoke);
//  3. the uses of every relocated value are rewired to the newest copy:
//     through a memory slot per value, promoted back to SSA at once
//     (PromoteMemToReg places the phis).
// A value is its own base (gc.relocate(i, i)): the collector does not move
// heap objects and the stack copier adjusts any pointer into the old stack,
// interior or not, so LLVM's base-pointer pairs are not needed.
//
//===----------------------------------------------------------------------===//

#include "pass/SafePointsPass.h"

#include "pass/MarkManagedPass.h"
#include "pass/StackMapStrategy.h"

#include <gostack/detail/stack_maps.h>

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Statepoint.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"

using namespace llvm;
using gostack::detail::SafePointKind;

namespace gostack {
namespace {

/// A value that may carry a pointer the maps cannot name: a vector or an
/// aggregate with a pointer inside. A call it is live across gets a
/// conservative record.
bool holdsUntrackedPointer(const Type *T) {
  if (const auto *Vector = dyn_cast<VectorType>(T))
    return Vector->getElementType()->isPointerTy();
  if (const auto *Array = dyn_cast<ArrayType>(T))
    return Array->getElementType()->isPointerTy() ||
           holdsUntrackedPointer(Array->getElementType());
  if (const auto *Struct = dyn_cast<StructType>(T))
    return any_of(Struct->elements(), [](const Type *E) {
      return E->isPointerTy() || holdsUntrackedPointer(E);
    });
  return false;
}

/// Which values of one function the maps follow.
class TrackedValues {
public:
  explicit TrackedValues(Function &F) {
    findPointerIntegers(F);
    findCalledValues(F);
  }

  /// A value a record names when it is live across a call:
  ///  - a pointer held in SSA form. Constants and globals are neither on a
  ///    stack nor in the GC heap; a static alloca's address is recomputed
  ///    from the stack pointer, and its contents are listed as a frame
  ///    object instead;
  ///  - an integer computed from a pointer in this function (`q - p` kept
  ///    as `q + (-p)` by the optimiser, a pointer's bits as uintptr_t): it
  ///    is treated as a pointer may be, kept alive and adjusted on a move
  ///    by the same rules as a word of a native frame (docs/STACKS.md).
  bool isTracked(const Value *V) const {
    if (!isa<Argument>(V) && !isa<Instruction>(V))
      return false;
    if (PointerIntegers.contains(V))
      return true;
    if (!V->getType()->isPointerTy() ||
        V->getType()->getPointerAddressSpace() != 0 || Called.contains(V))
      return false;
    if (const auto *Alloca = dyn_cast<AllocaInst>(V))
      return !Alloca->isStaticAlloca();
    return true;
  }

  /// The values liveness follows: the tracked ones, and those that make a
  /// site conservative. The pointer in a landing pad's value is the
  /// exception object, which the C++ runtime allocates outside the GC heap
  /// and the stack.
  bool isLive(const Value *V) const {
    return isTracked(V) ||
           ((isa<Argument>(V) || isa<Instruction>(V)) &&
            holdsUntrackedPointer(V->getType()) && !isa<LandingPadInst>(V));
  }

private:
  /// Pointers some call calls: code, neither on a stack nor in the GC
  /// heap. (Not listing them also keeps clear of an LLVM 19 bug: with GC
  /// values in registers, a statepoint whose callee is a relocated value
  /// may call another relocated value instead -- leveldb's
  /// PosixEnv::BackgroundThreadMain called its argument.)
  void findCalledValues(Function &F) {
    for (const Instruction &I : instructions(F))
      if (const auto *Call = dyn_cast<CallBase>(&I))
        Called.insert(Call->getCalledOperand());
  }

  /// Integers of a pointer's width that ptrtoint starts and that addition,
  /// subtraction, bitwise operations, phis and selects carry on (a shift
  /// or a product of a pointer is a number: `(q - p) / sizeof(T)`).
  void findPointerIntegers(Function &F) {
    const DataLayout &DL = F.getParent()->getDataLayout();
    SmallVector<const Instruction *> Work;
    for (const Instruction &I : instructions(F))
      if (isa<PtrToIntInst>(I) &&
          DL.getTypeSizeInBits(I.getType()) == DL.getPointerSizeInBits())
        Work.push_back(&I);
    while (!Work.empty()) {
      const Instruction *I = Work.pop_back_val();
      if (!PointerIntegers.insert(I).second)
        continue;
      for (const User *U : I->users())
        if (carriesPointerBits(*U) && U->getType() == I->getType())
          Work.push_back(cast<Instruction>(U));
    }
  }

  static bool carriesPointerBits(const User &U) {
    if (const auto *Op = dyn_cast<BinaryOperator>(&U))
      switch (Op->getOpcode()) {
      case Instruction::Add:
      case Instruction::Sub:
      case Instruction::And:
      case Instruction::Or:
      case Instruction::Xor:
        return true;
      default:
        return false;
      }
    return isa<PHINode>(U) || isa<SelectInst>(U) || isa<FreezeInst>(U);
  }

  DenseSet<const Value *> PointerIntegers;
  DenseSet<const Value *> Called;
};

/// Calls that become statepoints. The others get no record, which the
/// runtime reads as "not a managed frame": it scans such a stack word by
/// word, so leaving a call out is always safe, only less precise.
bool isSafePointCall(const CallBase &Call) {
  if (isa<IntrinsicInst>(Call) || Call.isInlineAsm() || isa<CallBrInst>(Call) ||
      Call.hasOperandBundles() || Call.getFunctionType()->isVarArg() ||
      Call.hasFnAttr(Attribute::ReturnsTwice))
    return false;
  if (const auto *Plain = dyn_cast<CallInst>(&Call))
    return !Plain->isMustTailCall();
  return true;
}

using ValueSet = SmallSetVector<Value *, 8>;

/// Backward liveness of the values TrackedValues::isLive accepts, per
/// block.
class PointerLiveness {
public:
  PointerLiveness(Function &F, const TrackedValues &Tracked)
      : Tracked(Tracked) {
    for (BasicBlock &BB : F)
      computeLocalSets(BB);
    solve(F);
  }

  /// The values live just after each call in \p Calls, in \p BB's order.
  void liveAcrossCalls(BasicBlock &BB,
                       MapVector<CallBase *, ValueSet> &Sites) const {
    ValueSet Live = LiveOut.lookup(&BB);
    for (Instruction &I : reverse(BB)) {
      Live.remove(&I);
      if (auto *Call = dyn_cast<CallBase>(&I); Call && Sites.count(Call))
        Sites[Call] = Live;
      if (!isa<PHINode>(I))
        for (Value *Op : I.operands())
          if (Tracked.isLive(Op))
            Live.insert(Op);
    }
  }

private:
  void computeLocalSets(BasicBlock &BB) {
    ValueSet &Uses = UpwardUses[&BB];
    for (Instruction &I : reverse(BB)) {
      Uses.remove(&I);
      if (!isa<PHINode>(I))
        for (Value *Op : I.operands())
          if (Tracked.isLive(Op))
            Uses.insert(Op);
    }
  }

  /// Values live out of \p BB: live into a successor and not defined by one
  /// of its phis, or flowing into such a phi from \p BB.
  ValueSet liveOutOf(BasicBlock &BB) const {
    ValueSet Out;
    for (BasicBlock *Succ : successors(&BB)) {
      for (Value *V : LiveIn.lookup(Succ))
        if (!(isa<PHINode>(V) && cast<PHINode>(V)->getParent() == Succ))
          Out.insert(V);
      for (PHINode &Phi : Succ->phis()) {
        Value *Incoming = Phi.getIncomingValueForBlock(&BB);
        if (Tracked.isLive(Incoming))
          Out.insert(Incoming);
      }
    }
    return Out;
  }

  void solve(Function &F) {
    SmallSetVector<BasicBlock *, 32> Work;
    for (BasicBlock &BB : reverse(F))
      Work.insert(&BB);
    while (!Work.empty()) {
      BasicBlock *BB = Work.pop_back_val();
      ValueSet Out = liveOutOf(*BB);
      ValueSet In = UpwardUses.lookup(BB);
      for (Value *V : Out)
        if (!(isa<Instruction>(V) && cast<Instruction>(V)->getParent() == BB))
          In.insert(V);
      LiveOut[BB] = std::move(Out);
      ValueSet &OldIn = LiveIn[BB];
      if (In.size() == OldIn.size())
        continue; // live-in sets only grow
      OldIn = std::move(In);
      for (BasicBlock *Pred : predecessors(BB))
        Work.insert(Pred);
    }
  }

  const TrackedValues &Tracked;
  DenseMap<BasicBlock *, ValueSet> UpwardUses, LiveIn, LiveOut;
};

bool typeHasPointer(const Type *T) {
  return T->isPointerTy() || holdsUntrackedPointer(T);
}

/// A local that can only ever hold a number: its type has no pointer and
/// it is only loaded and stored as that type, directly or through element
/// addresses, never with an integer made from a pointer (at -O0, every
/// scalar local but a uintptr_t of a pointer; an array of numbers indexed,
/// set or filled from a constant).
/// Anything else -- an address passed on, a memcpy -- may put a pointer in.
bool holdsOnlyNumbers(const AllocaInst &Alloca, const TrackedValues &Tracked) {
  if (typeHasPointer(Alloca.getAllocatedType()))
    return false;
  // The local's address and addresses inside it (an array's elements).
  SmallVector<const Value *, 8> Addresses = {&Alloca};
  while (!Addresses.empty()) {
    const Value *Address = Addresses.pop_back_val();
    for (const User *U : Address->users()) {
      if (const auto *Load = dyn_cast<LoadInst>(U)) {
        if (typeHasPointer(Load->getType()))
          return false;
      } else if (const auto *Store = dyn_cast<StoreInst>(U)) {
        if (Store->getPointerOperand() != Address ||
            typeHasPointer(Store->getValueOperand()->getType()) ||
            Tracked.isTracked(Store->getValueOperand()))
          return false;
      } else if (const auto *GEP = dyn_cast<GetElementPtrInst>(U)) {
        if (GEP->getPointerOperand() != Address)
          return false;
        Addresses.push_back(GEP);
      } else if (const auto *Set = dyn_cast<MemSetInst>(U)) {
        if (Set->getDest() != Address)
          return false;
      } else if (const auto *Copy = dyn_cast<MemTransferInst>(U)) {
        // Copied out, or filled from a constant without pointers (an
        // initializer list at -O0).
        const auto *From = dyn_cast<GlobalVariable>(Copy->getSource());
        if (Copy->getDest() == Address &&
            !(From && From->isConstant() &&
              !typeHasPointer(From->getValueType())))
          return false;
      } else if (!isa<LifetimeIntrinsic>(U) && !isa<DbgInfoIntrinsic>(U)) {
        return false;
      }
    }
  }
  return true;
}

/// The frame objects a record lists, as deopt operands: each object's
/// address (a frame offset after code generation) and its size.
SmallVector<Value *> frameObjects(Function &F, const TrackedValues &Tracked) {
  const DataLayout &DL = F.getParent()->getDataLayout();
  Type *Int64 = Type::getInt64Ty(F.getContext());
  SmallVector<Value *> Objects;
  for (Instruction &I : F.getEntryBlock()) {
    auto *Alloca = dyn_cast<AllocaInst>(&I);
    if (!Alloca || !Alloca->isStaticAlloca() ||
        holdsOnlyNumbers(*Alloca, Tracked))
      continue;
    std::optional<TypeSize> Size = Alloca->getAllocationSize(DL);
    if (!Size || Size->isScalable() || Size->getFixedValue() == 0)
      continue;
    Objects.push_back(Alloca);
    Objects.push_back(ConstantInt::get(Int64, Size->getFixedValue()));
  }
  for (Argument &Arg : F.args())
    if (Type *ByVal = Arg.getParamByValType()) {
      Objects.push_back(&Arg);
      Objects.push_back(ConstantInt::get(Int64, DL.getTypeAllocSize(ByVal)));
    }
  return Objects;
}

/// Whether the frame's size is not fixed (dynamic allocas), or the stack
/// pointer's distance from the return address varies (a frame realigned
/// for an over-aligned local): offsets from the stack pointer then describe
/// nothing the runtime can find.
bool hasVariableFrame(Function &F) {
  const Align StackAlign = F.getParent()->getDataLayout().getStackAlignment();
  return F.hasFnAttribute("stackrealign") ||
         any_of(instructions(F), [&](const Instruction &I) {
           const auto *Alloca = dyn_cast<AllocaInst>(&I);
           return Alloca && (!Alloca->isStaticAlloca() ||
                             Alloca->getAlign() > StackAlign);
         });
}

/// The copies of one live value after one statepoint: on the normal path,
/// and on the unwind path of an invoke. The value is held by a tracking
/// handle: it may itself be a call that a later statepoint replaces.
struct Relocation {
  WeakTrackingVH Original;
  SmallVector<Instruction *, 2> Copies;
};

/// One call to make a statepoint of, with what its record will list.
struct SafePoint {
  CallBase *Call;
  SmallVector<WeakTrackingVH> Values; // live across the call, tracked
  SafePointKind Kind;
};

/// An invoke's successor that only this invoke reaches, so that code for
/// this call alone can go at its start.
BasicBlock *ownNormalDest(InvokeInst &Invoke) {
  BasicBlock *Dest = Invoke.getNormalDest();
  if (Dest->getSinglePredecessor())
    return Dest;
  return SplitEdge(Invoke.getParent(), Dest);
}

BasicBlock *ownUnwindDest(InvokeInst &Invoke) {
  BasicBlock *Dest = Invoke.getUnwindDest();
  if (Dest->getSinglePredecessor())
    return Dest;
  SmallVector<BasicBlock *, 2> NewBlocks;
  SplitLandingPadPredecessors(Dest, {Invoke.getParent()}, ".gostack",
                              ".gostack.shared", NewBlocks);
  return NewBlocks.front();
}

/// Copies the call's argument attributes (ABI: byval, sret, zeroext...) to
/// the statepoint's matching operands.
void copyArgumentAttributes(const CallBase &From, CallBase &To) {
  for (unsigned I = 0, E = From.arg_size(); I != E; ++I) {
    AttributeSet Attrs = From.getAttributes().getParamAttrs(I);
    if (Attrs.hasAttributes())
      To.setAttributes(To.getAttributes().addParamAttributes(
          From.getContext(), GCStatepointInst::CallArgsBeginPos + I,
          AttrBuilder(From.getContext(), Attrs)));
  }
}

/// Emits, at \p Where, the result and the relocations of \p Token.
void emitResultAndRelocates(Instruction *Token, CallBase &Original,
                            BasicBlock::iterator Where,
                            SmallVectorImpl<Relocation> &Relocations,
                            bool WithResult) {
  IRBuilder<> Builder(Where->getParent(), Where);
  Builder.SetCurrentDebugLocation(Original.getDebugLoc());
  if (WithResult && !Original.getType()->isVoidTy()) {
    Value *Result = Builder.CreateGCResult(Token, Original.getType());
    Result->takeName(&Original);
    Original.replaceAllUsesWith(Result);
  }
  auto *Ptr = PointerType::get(Original.getContext(), 0);
  for (auto [Index, R] : enumerate(Relocations)) {
    Type *Type = R.Original->getType();
    Value *Copy = Builder.CreateGCRelocate(Token, Index, Index, Ptr,
                                           R.Original->getName() + ".moved");
    if (Type->isIntegerTy())
      Copy = Builder.CreatePtrToInt(Copy, Type);
    R.Copies.push_back(cast<Instruction>(Copy));
  }
}

/// Replaces \p Call with a statepoint; returns the relocations of \p Live.
SmallVector<Relocation> makeSafePoint(const SafePoint &Site,
                                      ArrayRef<Value *> FrameObjects) {
  CallBase &Call = *Site.Call;
  IRBuilder<> Builder(&Call);
  // The statepoint lists pointers: an integer goes in as one.
  SmallVector<Value *> Live;
  SmallVector<Relocation> Relocations;
  for (Value *V : Site.Values) {
    Relocations.push_back({V, {}});
    Live.push_back(
        V->getType()->isIntegerTy()
            ? Builder.CreateIntToPtr(V, PointerType::get(V->getContext(), 0))
            : V);
  }
  FunctionCallee Callee(Call.getFunctionType(), Call.getCalledOperand());
  SmallVector<Value *> Args(Call.args());
  auto Id = static_cast<uint64_t>(Site.Kind);

  if (auto *Invoke = dyn_cast<InvokeInst>(&Call)) {
    BasicBlock *Normal = ownNormalDest(*Invoke);
    BasicBlock *Unwind = ownUnwindDest(*Invoke);
    InvokeInst *Token = Builder.CreateGCStatepointInvoke(
        Id, 0, Callee, Normal, Unwind, Args, FrameObjects, Live);
    Token->setCallingConv(Call.getCallingConv());
    Token->setDebugLoc(Call.getDebugLoc());
    copyArgumentAttributes(Call, *Token);
    emitResultAndRelocates(Token, Call, Normal->getFirstInsertionPt(),
                           Relocations, /*WithResult=*/true);
    emitResultAndRelocates(Unwind->getLandingPadInst(), Call,
                           Unwind->getFirstInsertionPt(), Relocations,
                           /*WithResult=*/false);
  } else {
    CallInst *Token =
        Builder.CreateGCStatepointCall(Id, 0, Callee, Args, FrameObjects, Live);
    Token->setCallingConv(Call.getCallingConv());
    Token->setDebugLoc(Call.getDebugLoc());
    copyArgumentAttributes(Call, *Token);
    emitResultAndRelocates(Token, Call, std::next(Token->getIterator()),
                           Relocations, /*WithResult=*/true);
  }
  Call.eraseFromParent();
  return Relocations;
}

/// Where a value's slot is written after its definition (an argument's:
/// after the slot itself).
BasicBlock::iterator afterDefinition(Value *V, AllocaInst *Slot) {
  if (isa<Argument>(V))
    return std::next(Slot->getIterator());
  auto *I = cast<Instruction>(V);
  if (auto *Invoke = dyn_cast<InvokeInst>(I))
    return ownNormalDest(*Invoke)->getFirstInsertionPt();
  if (isa<PHINode>(I))
    return I->getParent()->getFirstInsertionPt();
  return std::next(I->getIterator());
}

/// Rewires every use of each relocated value to its newest copy: a slot
/// per value, written at the definition and after each relocation, read at
/// each use, then promoted back to SSA.
void rewireUses(Function &F, ArrayRef<SmallVector<Relocation>> PerSite) {
  MapVector<Value *, SmallVector<Instruction *, 4>> CopiesOf;
  for (const SmallVector<Relocation> &Site : PerSite)
    for (const Relocation &R : Site)
      append_range(CopiesOf[R.Original], R.Copies);
  if (CopiesOf.empty())
    return;

  SmallVector<AllocaInst *> Slots;
  BasicBlock::iterator SlotsAt = F.getEntryBlock().getFirstInsertionPt();
  for (auto &[Original, Copies] : CopiesOf) {
    auto *Slot = new AllocaInst(Original->getType(), 0, "", SlotsAt);
    Slots.push_back(Slot);
    SmallPtrSet<Instruction *, 8> Writes;
    auto WriteAt = [&](Value *V, BasicBlock::iterator Where) {
      Writes.insert(new StoreInst(V, Slot, Where));
    };
    SmallVector<Use *> Uses;
    for (Use &U : Original->uses())
      Uses.push_back(&U);
    WriteAt(Original, afterDefinition(Original, Slot));
    for (Instruction *Copy : Copies)
      WriteAt(Copy, std::next(Copy->getIterator()));
    for (Use *U : Uses) {
      auto *User = cast<Instruction>(U->getUser());
      if (Writes.contains(User))
        continue;
      BasicBlock::iterator ReadAt = isa<PHINode>(User)
                                        ? cast<PHINode>(User)
                                              ->getIncomingBlock(*U)
                                              ->getTerminator()
                                              ->getIterator()
                                        : User->getIterator();
      U->set(new LoadInst(Original->getType(), Slot, "", ReadAt));
    }
  }
  DominatorTree DT(F);
  PromoteMemToReg(Slots, DT);
}

/// For the m=3 listing: what a site is, in words, under a number that its
/// record carries as its first deopt operand.
Value *describeSiteForDump(const CallBase &Call, NamedMDNode &SiteNames) {
  std::string Text;
  raw_string_ostream OS(Text);
  OS << "call to ";
  if (const Function *Callee = Call.getCalledFunction())
    OS << demangle(Callee->getName());
  else
    OS << "a function pointer";
  if (const DebugLoc &Loc = Call.getDebugLoc())
    OS << " at line " << Loc.getLine();
  LLVMContext &Ctx = Call.getContext();
  unsigned Number = SiteNames.getNumOperands();
  SiteNames.addOperand(MDNode::get(Ctx, MDString::get(Ctx, Text)));
  return ConstantInt::get(Type::getInt64Ty(Ctx), Number);
}

/// A pointer at a constant offset from another: recomputed where it is used
/// rather than kept, so that only its base is live across calls.
bool isConstantOffset(const Instruction &I) {
  const auto *GEP = dyn_cast<GetElementPtrInst>(&I);
  return GEP && GEP->hasAllConstantIndices() && !GEP->getType()->isVectorTy();
}

/// Gives each use of a pointer at a constant offset (`this->field`'s
/// address, `&a[3]`) its own copy of the computation, placed just before
/// the use: a record then lists the base once instead of every address
/// computed from it, each spilled and reloaded around every call (tinyxml2
/// had a dozen per call in its parser). The copies fold into addressing
/// modes; after a call they start from the base's relocated copy, which a
/// move adjusted.
void recomputeOffsetsAtUses(Function &F) {
  SmallVector<Instruction *> Offsets;
  for (BasicBlock *BB : ReversePostOrderTraversal<Function *>(&F))
    for (Instruction &I : *BB)
      if (isConstantOffset(I))
        Offsets.push_back(&I);
  // Users first: a chain of offsets is copied from its end inwards.
  for (Instruction *Offset : reverse(Offsets)) {
    SmallVector<Use *> Uses;
    for (Use &U : Offset->uses())
      Uses.push_back(&U);
    for (Use *U : Uses) {
      auto *User = cast<Instruction>(U->getUser());
      Instruction *Before =
          isa<PHINode>(User)
              ? cast<PHINode>(User)->getIncomingBlock(*U)->getTerminator()
              : User;
      Instruction *Copy = Offset->clone();
      Copy->insertBefore(Before);
      Copy->takeName(Offset);
      U->set(Copy);
    }
    Offset->eraseFromParent();
  }
}

void insertSafePoints(Function &F, NamedMDNode *SiteNames) {
  F.setGC(detail::StackMapGCName);
  MapVector<CallBase *, ValueSet> Sites;
  for (Instruction &I : instructions(F))
    if (auto *Call = dyn_cast<CallBase>(&I); Call && isSafePointCall(*Call))
      Sites[Call];
  if (Sites.empty())
    return;
  recomputeOffsetsAtUses(F);
  TrackedValues Tracked(F);
  {
    PointerLiveness Liveness(F, Tracked);
    for (BasicBlock &BB : F)
      Liveness.liveAcrossCalls(BB, Sites);
  }

  // The order of the live values in a record follows the function, so that
  // the output does not depend on pointer values.
  DenseMap<const Value *, unsigned> Order;
  for (Argument &Arg : F.args())
    Order[&Arg] = Order.size();
  for (Instruction &I : instructions(F))
    Order[&I] = Order.size();

  SmallVector<Value *> FrameObjects = frameObjects(F, Tracked);
  bool WholeFrameUntracked = hasVariableFrame(F);
  SmallVector<SafePoint> SafePoints;
  for (auto &[Call, Live] : Sites) {
    SmallVector<Value *> Values;
    bool Untracked = WholeFrameUntracked;
    for (Value *V : Live) {
      if (Tracked.isTracked(V))
        Values.push_back(V);
      else
        Untracked = true;
    }
    sort(Values, [&](Value *A, Value *B) { return Order[A] < Order[B]; });
    SafePoints.push_back(
        {Call,
         {Values.begin(), Values.end()},
         Untracked ? SafePointKind::Conservative : SafePointKind::Precise});
  }
  SmallVector<SmallVector<Relocation>> PerSite;
  for (const SafePoint &Site : SafePoints) {
    SmallVector<Value *> Deopt;
    if (SiteNames)
      Deopt.push_back(describeSiteForDump(*Site.Call, *SiteNames));
    append_range(Deopt, FrameObjects);
    PerSite.push_back(makeSafePoint(Site, Deopt));
  }
  rewireUses(F, PerSite);
}

} // namespace

PreservedAnalyses SafePointsPass::run(Module &M, ModuleAnalysisManager &) {
  bool Changed = false;
  for (Function &F : M)
    if (!F.isDeclaration() && F.hasFnAttribute(ManagedFnAttr)) {
      insertSafePoints(F, DumpMaps
                              ? M.getOrInsertNamedMetadata(StackMapSiteNames)
                              : nullptr);
      Changed = true;
    }
  if (!Changed)
    return PreservedAnalyses::all();
  keepStatepointValuesInRegisters();
  if (DumpMaps)
    M.addModuleFlag(Module::Warning, StackMapDumpFlag, 1);
  return PreservedAnalyses::none();
}

} // namespace gostack
