//===-- LibraryFunctions.h - Library code and pointers ----------*- C++ -*-===//
//
/// \file
/// Calls the analysis cannot walk -- builtins, and the C library, whose code
/// is in libc.so -- would make every pointer argument escape, and the locals
/// they point to move to the heap: `gettimeofday(&tv, 0)`, `fstat(fd, &st)`,
/// `snprintf(buf, n, ...)`. Go knows its own runtime and system calls the
/// same way (`//go:noescape`). This is that knowledge for C and C++: for
/// each function it names, what the call does with its arguments; anything
/// not named here keeps nothing. Only functions declared in a system header
/// are looked up (C functions only without a body in the translation unit),
/// so a project's own function of the same name is analysed as usual.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_ESCAPE_LIBRARYFUNCTIONS_H
#define GOSTACK_PLUGIN_ESCAPE_LIBRARYFUNCTIONS_H

#include "clang/AST/Decl.h"

#include <optional>

namespace gostack::escape {

/// What a known library function does with its arguments (indices count
/// the declared parameters; the variadic ones are kept by none).
struct LibraryEffect {
  /// The argument the call hands back, or an address into it: `memchr`,
  /// `std::move`, `localtime_r`'s result buffer. -1: none.
  int Returned = -1;
  /// The argument whose pointee is copied somewhere the analysis cannot
  /// follow (`memcpy`'s source). -1: none.
  int Copied = -1;
  /// The argument stored into what argument StoredInto points to (`strtol`
  /// puts a pointer into its string into *endptr). -1: none.
  int Stored = -1;
  int StoredInto = -1;
  /// The other arguments are handed to code the analysis cannot see (what
  /// std::function::operator() calls through a pointer): they escape. Else
  /// they are kept by none.
  bool OthersEscape = false;
};

/// The effect of calling \p Callee, when the analysis knows it.
std::optional<LibraryEffect> libraryEffect(const clang::FunctionDecl *Callee);

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_LIBRARYFUNCTIONS_H
