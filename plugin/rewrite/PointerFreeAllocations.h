//===-- rewrite/PointerFreeAllocations.h - Unscanned blocks -----*- C++ -*-===//
//
/// \file
/// The collector scans every block of the C heap, since C++ keeps pointers
/// in malloc'd and new'd memory everywhere. A block that cannot hold one
/// need not be read: a std::vector<int>'s or std::vector<double>'s buffer.
/// std::allocator<T> knows T, so in each instantiation of libstdc++'s
/// allocator (`std::__new_allocator<T>::allocate`) whose T holds no pointer
/// -- by the type maps' rules, and not a byte type, whose buffers programs
/// use as raw storage -- the plugin makes the call to `::operator new`
/// call gostack::detail::operator_new_pointer_free instead, which hands out
/// a block the collector skips (Go's noscan spans). Freeing is unchanged.
///
/// Translation units built without the plugin keep the scanned call; the
/// linker may keep either copy of the (inline) function, and both are safe.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_REWRITE_POINTERFREEALLOCATIONS_H
#define GOSTACK_PLUGIN_REWRITE_POINTERFREEALLOCATIONS_H

#include "clang/AST/ASTContext.h"

namespace gostack::rewrite {

/// Redirects the allocations of pointer-free element types in every
/// std::allocator instantiation of \p Ctx.
void markPointerFreeAllocations(clang::ASTContext &Ctx);

} // namespace gostack::rewrite

#endif // GOSTACK_PLUGIN_REWRITE_POINTERFREEALLOCATIONS_H
