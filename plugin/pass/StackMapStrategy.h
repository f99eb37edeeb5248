//===-- StackMapStrategy.h - The "gostack" GC strategy ----------*- C++ -*-===//
//
/// \file
/// What the IR passes tell the stack map printer (StackMapStrategy.cpp),
/// which runs in code generation.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_PASS_STACKMAPSTRATEGY_H
#define GOSTACK_PLUGIN_PASS_STACKMAPSTRATEGY_H

#include "llvm/ADT/StringRef.h"

namespace gostack {

/// A module flag: when set, code generation prints each function's stack
/// map (-fplugin-arg-gostack-m=3).
inline constexpr llvm::StringLiteral StackMapDumpFlag =
    "gostack.dump-stack-maps";
/// With the flag: named metadata, one string per site ("call to f() at
/// line 3"); each record's first deopt operand is its index here.
inline constexpr llvm::StringLiteral StackMapSiteNames =
    "gostack.stack-map-sites";

/// Lets code generation keep the values a statepoint lists in callee-saved
/// registers across the call, as it keeps any value, rather than spill and
/// reload them around every call (LLVM's default, for collectors that
/// cannot find registers a callee saved; the runtime can: each record says
/// which register each saved word holds). Options of this process's code
/// generator; the plugin sets them before its first statepoint.
void keepStatepointValuesInRegisters();

} // namespace gostack

#endif // GOSTACK_PLUGIN_PASS_STACKMAPSTRATEGY_H
