//===-- gostack/detail/stack_maps.h - Stack map record kinds ----*- C++ -*-===//
//
/// \file
/// What the plugin and the runtime agree about the stack maps: the plugin
/// wraps each call in a managed function in an LLVM statepoint, whose ID
/// says how far to trust LLVM's record of it; its code generation rewrites
/// the records into the section below, which the runtime reads
/// (docs/STACKS.md, "Stack maps"). Not part of the public API.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_DETAIL_STACK_MAPS_H
#define GOSTACK_DETAIL_STACK_MAPS_H

#include <cstdint>

namespace gostack::detail {

/// The name of the LLVM GC strategy the plugin registers and gives every
/// managed function (`gc "gostack"` in the IR).
inline constexpr char StackMapGCName[] = "gostack";

/// Record IDs. A record lists, for one return address in a managed function:
/// first the frame objects (allocas) as pairs (Direct location, Constant
/// size), then every pointer value live across the call, each twice (LLVM's
/// base and derived pointer; the plugin makes each value its own base).
enum class SafePointKind : std::uint64_t {
  /// The record names every word of the frame that may hold a pointer.
  Precise = 0x676f0001,
  /// Something live across this call is not described (a vector or
  /// aggregate of pointers, or a frame with dynamic allocas): the frame
  /// must be scanned word by word.
  Conservative = 0x676f0002,
};

/// The number of leading Constant locations LLVM writes in every statepoint
/// record (calling convention, flags, number of deopt operands), before the
/// deopt operands (here: the frame objects).
inline constexpr unsigned StatepointHeaderLocations = 3;

/// The plugin's code generation rewrites LLVM's records into the section
/// below: read-only, position independent (no load-time relocations), and
/// found by the runtime through the linker's __start_/__stop_ symbols.
/// Each object file contributes a StackMapHeader, then its sites; all fields
/// little-endian, 4-byte aligned.
#define GOSTACK_STACK_MAP_SECTION gostack_stackmaps

inline constexpr std::uint32_t StackMapMagic = 0x504d5347; // "GSMP"
inline constexpr std::uint16_t StackMapVersion = 4;

struct StackMapHeader {
  std::uint32_t Magic;
  std::uint16_t Version;
  std::uint16_t Reserved;
  std::uint32_t SiteCount;
};

/// How far the runtime may trust a site.
enum class SiteKind : std::uint8_t {
  /// The objects and pointers below are every word of the frame, at this
  /// call, that may hold a pointer; FrameSize is exact.
  Precise = 1,
  /// Not described: a goroutine stack with such a frame is scanned word by
  /// word. FrameSize is UnknownFrameSize.
  Conservative = 2,
};

inline constexpr std::uint32_t UnknownFrameSize = ~std::uint32_t{0};

/// At most this many words of saved registers per frame (rbp and the five
/// other callee-saved registers fit).
inline constexpr unsigned MaxSavedWords = 8;

/// One call site. Offsets are from the stack pointer at the call, that is
/// from the word above the return address the call pushes. Registers are
/// named by their DWARF numbers (rbx 3, rbp 6, r12-r15 12-15).
struct StackMapSite {
  /// The return address, relative to this field.
  std::int32_t ReturnAddress;
  /// Bytes from the stack pointer at the call up to the slot that holds
  /// this frame's own return address.
  std::uint32_t FrameSize;
  SiteKind Kind;
  /// How many words right below the return address the prologue filled
  /// with callee-saved registers (the caller's rbp first, when the frame
  /// has a frame pointer): their callers' values.
  std::uint8_t SavedWords;
  /// The callee-saved registers that hold a live pointer across this call,
  /// one bit per register: the value is wherever a frame below saved that
  /// register, or still in it.
  std::uint16_t PointerRegisters;
  /// Which register each saved word holds, four bits per word, the word
  /// below the return address in the lowest bits.
  std::uint32_t SavedRegisters;
  std::uint16_t ObjectCount;
  std::uint16_t PointerCount;
  std::uint16_t DeadSlotCount;
  std::uint16_t Reserved;
  // Followed by ObjectCount StackMapObject, then PointerCount std::int32_t
  // offsets of 8-byte slots that hold a live pointer value, then
  // DeadSlotCount offsets of slots that hold pointers at other sites of the
  // function but not here (a stale value there is no pointer; only
  // GOSTACK_DEBUG=stackcheck reads them).
};

/// The register saved in word \p index below the return address.
inline unsigned savedRegister(const StackMapSite &site, unsigned index) {
  return site.SavedRegisters >> (4 * index) & 0xf;
}

/// A frame object (an address-taken local): its words may hold pointers.
struct StackMapObject {
  std::int32_t Offset;
  std::uint32_t Size;
};

} // namespace gostack::detail

#endif // GOSTACK_DETAIL_STACK_MAPS_H
