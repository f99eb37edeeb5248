//===-- StackMapStrategy.cpp - The "gostack" GC strategy and its maps -----===//
//
/// \file
/// Code generation lowers gc.statepoint only in functions whose GC strategy
/// asks for statepoints; LLVM's own strategies ("statepoint-example",
/// "coreclr") count only pointers in address space 1 as GC pointers, which
/// Clang never emits. This strategy, registered when the plugin is loaded,
/// counts every pointer: SafePointsPass decides which values to list, and
/// the runtime tells heap from stack by address. (The relocation rewrite is
/// SafePointsPass's own: LLVM's RewriteStatepointsForGC assumes that no GC
/// pointer points into the frame.)
///
/// Its printer replaces LLVM's .llvm_stackmaps, which holds absolute
/// function addresses (load-time relocations in a read-only section: a
/// DT_TEXTREL warning with GNU ld, an error with lld), with the section
/// gostack/detail/stack_maps.h describes: each site found by its return
/// address, relative; frame objects and pointer slots as offsets from the
/// stack pointer at the call. With -fplugin-arg-gostack-m=3 it also prints
/// each function's map.
//
//===----------------------------------------------------------------------===//

#include "pass/StackMapStrategy.h"

#include <gostack/detail/stack_maps.h>

#include "llvm/ADT/STLExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/CodeGen/AsmPrinter.h"
#include "llvm/CodeGen/AsmPrinterHandler.h"
#include "llvm/CodeGen/GCMetadataPrinter.h"
#include "llvm/CodeGen/MachineFrameInfo.h"
#include "llvm/CodeGen/MachineFunction.h"
#include "llvm/CodeGen/MachineModuleInfo.h"
#include "llvm/CodeGen/StackMaps.h"
#include "llvm/CodeGen/TargetFrameLowering.h"
#include "llvm/CodeGen/TargetRegisterInfo.h"
#include "llvm/CodeGen/TargetSubtargetInfo.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/GCStrategy.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCExpr.h"
#include "llvm/MC/MCSectionELF.h"
#include "llvm/MC/MCStreamer.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#define GOSTACK_STRINGIFY2(X) #X
#define GOSTACK_STRINGIFY(X) GOSTACK_STRINGIFY2(X)

using namespace llvm;
using namespace gostack::detail;

namespace {

class StackMapStrategy : public GCStrategy {
public:
  StackMapStrategy() {
    UseStatepoints = true;
    UseRS4GC = false;
    NeededSafePoints = false;
    // Without it, code generation never asks for StackMapPrinter below.
    UsesMetadata = true;
  }

  std::optional<bool> isGCManagedPointer(const Type *Ty) const override {
    return Ty->isPointerTy();
  }
};

/// DWARF's number for RSP: every location SafePointsPass asks for is
/// relative to the stack pointer in a frame of fixed size.
constexpr uint16_t StackPointerDwarfReg = 7;

/// The callee-saved registers of the x86-64 SysV ABI, by DWARF number (rbx,
/// rbp, r12-r15): the only registers a value can be in across a call.
constexpr uint16_t CalleeSavedDwarfRegs = 1u << 3 | 1u << 6 | 0xf000;

const char *dwarfRegName(unsigned Reg) {
  static const char *const Names[16] = {
      "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
      "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
  return Reg < 16 ? Names[Reg] : "?";
}

/// The registers a function's prologue saves (DWARF numbers), in the order
/// of the words it saves them to, down from the return address.
using SavedRegisterList = SmallVector<uint8_t, 7>;

/// One site as the runtime will read it.
struct Site {
  const MCExpr *ReturnAddress = nullptr; // a label in the function
  const MCSymbol *Function = nullptr;
  StringRef Name; // for the dump only
  uint32_t FrameSize = UnknownFrameSize;
  SiteKind Kind = SiteKind::Conservative;
  SavedRegisterList SavedRegisters;
  /// Registers holding a live pointer at the call (DWARF numbers as bits).
  uint16_t PointerRegisters = 0;
  SmallVector<StackMapObject> Objects;
  SmallVector<int32_t> Pointers;
  SmallVector<int32_t> DeadSlots;
};

bool isStackSlot(const StackMaps::Location &L) {
  return L.Reg == StackPointerDwarfReg;
}

/// Reads LLVM's locations for one statepoint: three constants, the site's
/// number when dumping, the frame objects as (Direct, Constant size) pairs,
/// then (base, derived) pairs of live pointers. Anything else makes the
/// site conservative.
bool parseLocations(const StackMaps::LocationVec &Locs,
                    const NamedMDNode *Names, Site &Out) {
  using L = StackMaps::Location;
  if (Locs.size() < StatepointHeaderLocations || Locs[2].Type != L::Constant)
    return false;
  unsigned ObjectLocs = Locs[2].Offset;
  unsigned Next = StatepointHeaderLocations;
  if (Names) {
    if (!ObjectLocs || Locs[Next].Type != L::Constant ||
        unsigned(Locs[Next].Offset) >= Names->getNumOperands())
      return false;
    Out.Name =
        cast<MDString>(Names->getOperand(Locs[Next].Offset)->getOperand(0))
            ->getString();
    ++Next;
    --ObjectLocs;
  }
  if (ObjectLocs % 2 || Next + ObjectLocs > Locs.size())
    return false;
  for (unsigned End = Next + ObjectLocs; Next != End; Next += 2) {
    const L &Object = Locs[Next], &Size = Locs[Next + 1];
    if (Object.Type != L::Direct || !isStackSlot(Object) ||
        Size.Type != L::Constant)
      return false;
    Out.Objects.push_back({Object.Offset, static_cast<uint32_t>(Size.Offset)});
  }
  if ((Locs.size() - Next) % 2)
    return false;
  for (; Next != Locs.size(); Next += 2) {
    const L &Derived = Locs[Next + 1];
    switch (Derived.Type) {
    case L::Constant:
    case L::ConstantIndex:
    case L::Direct: // a frame address, recomputed from the stack pointer
      continue;
    case L::Indirect:
      if (!isStackSlot(Derived) || Derived.Size != sizeof(void *))
        return false;
      if (!is_contained(Out.Pointers, Derived.Offset))
        Out.Pointers.push_back(Derived.Offset);
      continue;
    case L::Register:
      if (Derived.Reg >= 16 || !(CalleeSavedDwarfRegs >> Derived.Reg & 1))
        return false;
      Out.PointerRegisters |= 1u << Derived.Reg;
      continue;
    default:
      return false;
    }
  }
  return true;
}

Site describe(const StackMaps::CallsiteInfo &CS, const MCSymbol *Function,
              uint64_t StackSize, const std::optional<SavedRegisterList> &Saved,
              const NamedMDNode *Names) {
  Site Out;
  Out.ReturnAddress = cast<MCBinaryExpr>(CS.CSOffsetExpr)->getLHS();
  Out.Function = Function;
  bool Parsed = parseLocations(CS.Locations, Names, Out);
  bool Described =
      Parsed && CS.ID == static_cast<uint64_t>(SafePointKind::Precise) &&
      StackSize < UnknownFrameSize && Saved && Saved->size() * 8u <= StackSize;
  if (Described) {
    Out.Kind = SiteKind::Precise;
    Out.FrameSize = static_cast<uint32_t>(StackSize);
    Out.SavedRegisters = *Saved;
  } else {
    Out.Objects.clear();
    Out.Pointers.clear();
    Out.PointerRegisters = 0;
  }
  return Out;
}

/// The section for the sites of the function defined by \p Function: one of
/// its own, tied to the function's (SHF_LINK_ORDER, and its COMDAT group
/// for an inline function), as LLVM does for .stack_sizes: when the linker
/// drops the function -- a duplicate inline function, or --gc-sections --
/// it drops these records with it.
MCSection *sectionFor(const MCSymbol &Function, MCContext &Ctx) {
  static const char Name[] = GOSTACK_STRINGIFY(GOSTACK_STACK_MAP_SECTION);
  if (!Function.isInSection())
    return Ctx.getELFSection(Name, ELF::SHT_PROGBITS, ELF::SHF_ALLOC);
  const auto &Text = static_cast<const MCSectionELF &>(Function.getSection());
  unsigned Flags = ELF::SHF_ALLOC | ELF::SHF_LINK_ORDER;
  StringRef Group;
  if (const MCSymbol *Comdat = Text.getGroup()) {
    Group = Comdat->getName();
    Flags |= ELF::SHF_GROUP;
  }
  return Ctx.getELFSection(Name, ELF::SHT_PROGBITS, Flags, 0, Group,
                           /*IsComdat=*/true, Text.getUniqueID(),
                           cast<MCSymbolELF>(Text.getBeginSymbol()));
}

/// Writes the sites of one function, \p Sites, with their header.
void emitFunctionSites(ArrayRef<Site> Sites, AsmPrinter &AP) {
  MCContext &Ctx = AP.OutContext;
  MCStreamer &OS = *AP.OutStreamer;
  OS.switchSection(sectionFor(*Sites.front().Function, Ctx));
  OS.emitValueToAlignment(Align(4));
  OS.emitInt32(StackMapMagic);
  OS.emitInt16(StackMapVersion);
  OS.emitInt16(0);
  OS.emitInt32(Sites.size());
  for (const Site &S : Sites) {
    MCSymbol *Here = Ctx.createTempSymbol();
    OS.emitLabel(Here);
    OS.emitValue(MCBinaryExpr::createSub(
                     S.ReturnAddress, MCSymbolRefExpr::create(Here, Ctx), Ctx),
                 4);
    OS.emitInt32(S.FrameSize);
    OS.emitInt8(static_cast<uint8_t>(S.Kind));
    OS.emitInt8(S.SavedRegisters.size());
    OS.emitInt16(S.PointerRegisters);
    uint32_t SavedRegisters = 0;
    for (auto [Index, Reg] : enumerate(S.SavedRegisters))
      SavedRegisters |= uint32_t{Reg} << (4 * Index);
    OS.emitInt32(SavedRegisters);
    OS.emitInt16(S.Objects.size());
    OS.emitInt16(S.Pointers.size());
    OS.emitInt16(S.DeadSlots.size());
    OS.emitInt16(0);
    for (const StackMapObject &Object : S.Objects) {
      OS.emitInt32(Object.Offset);
      OS.emitInt32(Object.Size);
    }
    for (int32_t Pointer : S.Pointers)
      OS.emitInt32(Pointer);
    for (int32_t Slot : S.DeadSlots)
      OS.emitInt32(Slot);
  }
}

/// Each site's dead slots: the function's pointer slots at its other sites.
void findDeadSlots(MutableArrayRef<Site> Sites) {
  SmallVector<int32_t> All;
  for (const Site &S : Sites)
    for (int32_t Pointer : S.Pointers)
      if (!is_contained(All, Pointer))
        All.push_back(Pointer);
  for (Site &S : Sites)
    if (S.Kind == SiteKind::Precise)
      for (int32_t Slot : All)
        if (!is_contained(S.Pointers, Slot))
          S.DeadSlots.push_back(Slot);
}

void emitSites(ArrayRef<Site> Sites, AsmPrinter &AP) {
  while (!Sites.empty()) {
    const MCSymbol *Symbol = Sites.front().Function;
    size_t Count =
        llvm::find_if(Sites,
                      [&](const Site &S) { return S.Function != Symbol; }) -
        Sites.begin();
    SmallVector<Site, 8> Function(Sites.take_front(Count));
    findDeadSlots(Function);
    emitFunctionSites(Function, AP);
    Sites = Sites.drop_front(Count);
  }
}

/// The m=3 listing, one line per site, in a form lit tests can check.
void dumpSites(ArrayRef<Site> Sites, const Module &M) {
  raw_ostream &OS = errs();
  const MCSymbol *Current = nullptr;
  for (const Site &S : Sites) {
    if (S.Function != Current) {
      Current = S.Function;
      OS << M.getSourceFileName() << ": stack map of "
         << demangle(S.Function->getName()) << ":\n";
    }
    OS << "  " << (S.Name.empty() ? "call" : S.Name) << ": ";
    if (S.Kind == SiteKind::Conservative) {
      OS << "not described (scanned word by word)\n";
      continue;
    }
    OS << "frame " << S.FrameSize << " bytes";
    for (const StackMapObject &Object : S.Objects)
      OS << "; object [sp+" << Object.Offset << ", " << Object.Size
         << " bytes]";
    for (int32_t Pointer : S.Pointers)
      OS << "; pointer [sp+" << Pointer << "]";
    for (unsigned Reg = 0; Reg != 16; ++Reg)
      if (S.PointerRegisters >> Reg & 1)
        OS << "; pointer in " << dwarfRegName(Reg);
    if (!S.SavedRegisters.empty()) {
      OS << "; saved";
      for (auto [Index, Reg] : enumerate(S.SavedRegisters))
        OS << " " << dwarfRegName(Reg) << " [sp+"
           << S.FrameSize - 8 * (Index + 1) << "]";
    }
    OS << "\n";
  }
}

/// The registers \p MF's prologue saves right below the return address,
/// word by word downwards: on x86-64 it pushes the frame pointer, if the
/// function keeps one, then each callee-saved register it uses. None if
/// they are saved anywhere else.
std::optional<SavedRegisterList> savedRegisters(const MachineFunction &MF) {
  const MachineFrameInfo &Frame = MF.getFrameInfo();
  const TargetRegisterInfo &TRI = *MF.getSubtarget().getRegisterInfo();
  SavedRegisterList Registers;
  if (MF.getSubtarget().getFrameLowering()->hasFP(MF))
    Registers.push_back(TRI.getDwarfRegNum(TRI.getFrameRegister(MF), false));
  SmallVector<std::pair<int64_t, int>> Slots; // (offset, DWARF register)
  for (const CalleeSavedInfo &Saved : Frame.getCalleeSavedInfo()) {
    if (Saved.isSpilledToReg())
      return std::nullopt;
    Slots.push_back({Frame.getObjectOffset(Saved.getFrameIdx()),
                     TRI.getDwarfRegNum(Saved.getReg(), false)});
  }
  // Offsets are from the stack pointer before the call: the return
  // address is at -8, the word below it at -16.
  sort(Slots, std::greater<>());
  for (auto [Offset, Reg] : Slots) {
    if (Offset != -8 * (int64_t(Registers.size()) + 2))
      return std::nullopt;
    Registers.push_back(Reg);
  }
  if (Registers.size() > MaxSavedWords ||
      any_of(Registers, [](int Reg) { return Reg < 0 || Reg >= 16; }))
    return std::nullopt;
  return Registers;
}

/// Notes, as each function with the "gostack" strategy is printed, its
/// saved registers: only the machine function knows them, and it is gone by
/// the time the records are written at the end of the module.
class SavedRegisterRecorder : public AsmPrinterHandler {
public:
  SavedRegisterRecorder(
      const AsmPrinter &AP,
      DenseMap<const MCSymbol *, std::optional<SavedRegisterList>> &Saved)
      : AP(AP), Saved(Saved) {}
  void endModule() override {}
  void beginFunction(const MachineFunction *) override {}
  void endFunction(const MachineFunction *MF) override {
    const Function &F = MF->getFunction();
    if (F.hasGC() && F.getGC() == StackMapGCName)
      Saved[AP.CurrentFnSym] = savedRegisters(*MF);
  }

private:
  const AsmPrinter &AP;
  DenseMap<const MCSymbol *, std::optional<SavedRegisterList>> &Saved;
};

class StackMapPrinter : public GCMetadataPrinter {
  void beginAssembly(Module &, GCModuleInfo &, AsmPrinter &AP) override {
    AP.addAsmPrinterHandler(std::make_unique<SavedRegisterRecorder>(AP, Saved));
  }

  bool emitStackMaps(StackMaps &SM, AsmPrinter &AP) override {
    const Module &M = *AP.MMI->getModule();
    const NamedMDNode *Names =
        M.getModuleFlag(gostack::StackMapDumpFlag)
            ? M.getNamedMetadata(gostack::StackMapSiteNames)
            : nullptr;
    std::vector<Site> Sites;
    auto Next = SM.getCSInfos().begin();
    for (const auto &[Function, Info] : SM.getFnInfos())
      for (uint64_t I = 0; I != Info.RecordCount; ++I, ++Next)
        Sites.push_back(describe(*Next, Function, Info.StackSize,
                                 Saved.lookup(Function), Names));
    if (!Sites.empty())
      emitSites(Sites, AP);
    if (Names)
      dumpSites(Sites, M);
    SM.reset();
    return true;
  }

  DenseMap<const MCSymbol *, std::optional<SavedRegisterList>> Saved;
};

} // namespace

void gostack::keepStatepointValuesInRegisters() {
  // Both are LLVM's own options (StatepointLowering.cpp,
  // FixupStatepointCallerSaved.cpp); a user's -mllvm setting wins.
  StringMap<cl::Option *> &Options = cl::getRegisteredOptions();
  auto Set = [&](StringRef Name, StringRef Value) {
    cl::Option *Option = Options.lookup(Name);
    if (Option && !Option->getNumOccurrences())
      Option->addOccurrence(0, Name, Value);
  };
  // How many of a statepoint's values may be in registers: as many as
  // there are callee-saved ones.
  Set("max-registers-for-gc-values", "6");
  Set("fixup-allow-gcptr-in-csr", "true");
}

namespace {

GCRegistry::Add<StackMapStrategy>
    StrategyRegistration(StackMapGCName,
                         "gostack: stack maps for the goroutine stack copier "
                         "and the collector");
GCMetadataPrinterRegistry::Add<StackMapPrinter>
    PrinterRegistration(StackMapGCName, "gostack's stack map section");

} // namespace
