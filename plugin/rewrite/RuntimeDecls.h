//===-- RuntimeDecls.h - The runtime header, as used ------------*- C++ -*-===//
//
/// \file
/// The declarations of <gostack/detail/rewrite.h> (which the plugin includes
/// into every translation unit it rewrites), <gostack/gostack.h> and <new>
/// the rewrite and the type maps build code with, found once per translation
/// unit. Each is null when its header is not included or does not match the
/// plugin.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_REWRITE_RUNTIMEDECLS_H
#define GOSTACK_PLUGIN_REWRITE_RUNTIMEDECLS_H

#include "clang/AST/DeclTemplate.h"

namespace gostack::rewrite {

struct RuntimeDecls {
  /// gostack::detail::gc_alloc_frame(size, align)
  clang::FunctionDecl *GcAllocFrame = nullptr;
  /// gostack::detail::check_lent_address(address, holder, parameter)
  clang::FunctionDecl *CheckLentAddress = nullptr;
  /// gostack::detail::operator_new_pointer_free(size) and (size, align)
  clang::FunctionDecl *NewPointerFree = nullptr;
  clang::FunctionDecl *NewPointerFreeAligned = nullptr;
  /// ::operator new(std::size_t, void *)
  clang::FunctionDecl *PlacementNew = nullptr;
  /// ::operator new[](std::size_t, void *)
  clang::FunctionDecl *PlacementArrayNew = nullptr;
  /// gostack::detail::pointer_map<T>
  clang::VarTemplateDecl *PointerMap = nullptr;
  /// gostack::detail::destroy_object<T>
  clang::FunctionTemplateDecl *DestroyObject = nullptr;
  /// gostack::detail::lifetime_owner, its default constructor, destructor
  /// and adopt(object, destroyer)
  clang::CXXRecordDecl *LifetimeOwner = nullptr;
  clang::CXXConstructorDecl *LifetimeOwnerInit = nullptr;
  clang::CXXDestructorDecl *LifetimeOwnerEnd = nullptr;
  clang::CXXMethodDecl *Adopt = nullptr;
};

RuntimeDecls findRuntimeDecls(clang::ASTContext &Ctx);

} // namespace gostack::rewrite

#endif // GOSTACK_PLUGIN_REWRITE_RUNTIMEDECLS_H
