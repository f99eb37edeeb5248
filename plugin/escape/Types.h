//===-- Types.h - What a value can carry ------------------------*- C++ -*-===//

#ifndef GOSTACK_PLUGIN_ESCAPE_TYPES_H
#define GOSTACK_PLUGIN_ESCAPE_TYPES_H

#include "clang/AST/Type.h"

namespace gostack::escape {

/// Whether a value of type T can hold an address: pointers, references,
/// objects and arrays containing them, lambdas (their value stands for the
/// closure, a Go func value), and types of unknown layout. Such values are
/// tracked; others flow nowhere, and parameters of their type are not
/// reported.
bool hasPointers(clang::QualType T);

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_TYPES_H
