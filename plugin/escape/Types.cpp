//===-- Types.cpp - What a value can carry --------------------------------===//

#include "escape/Types.h"

#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace gostack::escape {

bool hasPointers(QualType T) {
  T = T.getCanonicalType();
  if (T->isFunctionPointerType() || T->isMemberPointerType())
    return false;
  if (T->isAnyPointerType() || T->isReferenceType() || T->isBlockPointerType())
    return true;
  if (const auto *Array = dyn_cast<ArrayType>(T.getTypePtr()))
    return hasPointers(Array->getElementType());
  const auto *Record = T->getAsRecordDecl();
  if (!Record)
    return false;
  const auto *Class = dyn_cast<CXXRecordDecl>(Record);
  // A lambda's value stands for its closure object (a Go func value), which
  // must be tracked even when it captures nothing.
  if (Class && Class->isLambda())
    return true;
  if (!Record->getDefinition() || (Class && Class->isDependentContext()))
    return true; // unknown layout: assume it may
  if (Class)
    for (const CXXBaseSpecifier &Base : Class->bases())
      if (hasPointers(Base.getType()))
        return true;
  for (const FieldDecl *Field : Record->getDefinition()->fields())
    if (hasPointers(Field->getType()))
      return true;
  return false;
}

} // namespace gostack::escape
