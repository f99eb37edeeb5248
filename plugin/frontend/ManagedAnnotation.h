//===-- ManagedAnnotation.h - The marker's spelling in the AST --*- C++ -*-===//
//
/// \file
/// Both spellings of the marker become [[clang::annotate("gostack.managed")]]
/// in the AST; code generation lists annotated functions in
/// @llvm.global.annotations, where the IR pass finds them. The frontend
/// (ManagedFunctions.h) and the IR pass (MarkManagedPass.h) share this
/// spelling and nothing else, so the analysis library needs no IR.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_MANAGEDANNOTATION_H
#define GOSTACK_PLUGIN_FRONTEND_MANAGEDANNOTATION_H

#include "llvm/ADT/StringRef.h"

namespace gostack {

/// The annotation both spellings of the marker become.
inline constexpr llvm::StringLiteral ManagedAnnotation = "gostack.managed";
/// Also on a managed function of gostack's own headers (a goroutine's
/// entry): managed, but not a reason for small goroutine stacks.
inline constexpr llvm::StringLiteral EntryAnnotation = "gostack.entry";

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_MANAGEDANNOTATION_H
