//===-- typemap/PointerMaps.h - Pointer words of go_new types ---*- C++ -*-===//
//
/// \file
/// The type-map stage: for every T the translation unit allocates with
/// go_new, the runtime header declares gostack::detail::pointer_map<T>, all
/// zero ("unknown: scan every word"). The plugin fills it in from T's record
/// layout: element 0 becomes 1 ("known"), and bit i of the elements that
/// follow says whether word i of T can hold a pointer -- pointers and
/// references, in members, bases and arrays, at any depth; a union or a type
/// of unknown layout counts as pointers throughout. The collector scans such
/// objects precisely, so an integer that looks like a pointer retains
/// nothing.
///
/// Translation units built without the plugin keep the zero map; the linker
/// may keep either copy of the (linkonce) variable, and both are safe.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_TYPEMAP_POINTERMAPS_H
#define GOSTACK_PLUGIN_TYPEMAP_POINTERMAPS_H

#include "clang/AST/ASTContext.h"
#include "llvm/ADT/BitVector.h"

namespace gostack::typemap {

/// Which words of an object of type T can hold a pointer.
llvm::BitVector pointerWords(const clang::ASTContext &Ctx, clang::QualType T);

/// Fills in pointer_map<T> for every T of the translation unit.
void fillPointerMaps(clang::ASTContext &Ctx);

} // namespace gostack::typemap

#endif // GOSTACK_PLUGIN_TYPEMAP_POINTERMAPS_H
