//===-- PointerMaps.cpp - Which words of a go_new'd type hold pointers ----===//

#include "typemap/PointerMaps.h"

#include "escape/Types.h"
#include "rewrite/RuntimeDecls.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecordLayout.h"

using namespace clang;

namespace gostack::typemap {
namespace {

constexpr uint64_t WordBytes = 8;

class PointerWordFinder {
public:
  PointerWordFinder(const ASTContext &Ctx, llvm::BitVector &Words)
      : Ctx(Ctx), Words(Words) {}

  void visit(QualType T, uint64_t Offset) {
    // C++ hides pointers where Go has none: a tagged uintptr_t.
    if (isPointerSizedInteger(T))
      return markPointer(Offset);
    T = Ctx.getCanonicalType(T).getUnqualifiedType();
    if (T->isDependentType() || T->isIncompleteType())
      return markRange(Offset, Words.size() * WordBytes);
    if (T->isPointerType() || T->isReferenceType() || T->isBlockPointerType() ||
        T->isObjCObjectPointerType())
      return markPointer(Offset);
    if (const auto *Atomic = T->getAs<AtomicType>())
      return visit(Atomic->getValueType(), Offset);
    if (const ConstantArrayType *Array = Ctx.getAsConstantArrayType(T))
      return visitArray(Array, Offset);
    if (const RecordDecl *Record = T->getAsRecordDecl())
      return visitRecord(Record, T, Offset);
    // Scalars, enums, member pointers (offsets and code addresses), vectors:
    // nothing the collector follows.
  }

  /// Whether T is spelled uintptr_t or intptr_t (through any typedefs).
  static bool isPointerSizedInteger(QualType T) {
    for (;;) {
      const auto *Typedef = T->getAs<TypedefType>();
      if (!Typedef)
        return false;
      llvm::StringRef Name = Typedef->getDecl()->getName();
      if (Name == "uintptr_t" || Name == "intptr_t")
        return true;
      T = Typedef->desugar();
    }
  }

  /// Whether an array of T may be raw storage for objects (std::byte,
  /// char, unsigned char: small-vector buffers, std::aligned_storage).
  static bool isByte(QualType T) {
    return T->isCharType() || T->isStdByteType();
  }

private:
  void visitArray(const ConstantArrayType *Array, uint64_t Offset) {
    QualType Element = Array->getElementType();
    uint64_t Bytes = Ctx.getTypeSizeInChars(QualType(Array, 0)).getQuantity();
    // Raw storage for objects holds whatever they hold: every aligned word
    // of a byte array at least a pointer wide is scanned.
    if (isByte(Ctx.getCanonicalType(Element))) {
      for (uint64_t Word = (Offset + WordBytes - 1) / WordBytes;
           (Word + 1) * WordBytes <= Offset + Bytes; ++Word)
        markWord(Word);
      return;
    }
    if (!escape::hasPointers(Element) && !containsHiddenPointers(Element))
      return;
    uint64_t Size = Ctx.getTypeSizeInChars(Element).getQuantity();
    for (uint64_t I = 0, N = Array->getZExtSize(); I < N; ++I)
      visit(Element, Offset + I * Size);
  }

  /// Whether a type holds words visit() scans that hasPointers() does not
  /// count: uintptr_t members, byte storage.
  bool containsHiddenPointers(QualType T) const {
    llvm::BitVector Probe(Ctx.getTypeSizeInChars(T).getQuantity() / WordBytes +
                          1);
    PointerWordFinder(Ctx, Probe).visit(T, 0);
    return Probe.any();
  }

  void visitRecord(const RecordDecl *Record, QualType T, uint64_t Offset) {
    uint64_t Size = Ctx.getTypeSizeInChars(T).getQuantity();
    if (Record->isUnion()) {
      // Which member is live is not known, and C++ code puts pointers in
      // unions of integers too: every word is scanned.
      markRange(Offset, Size);
      return;
    }
    const ASTRecordLayout &Layout = Ctx.getASTRecordLayout(Record);
    if (const auto *Class = dyn_cast<CXXRecordDecl>(Record)) {
      for (const CXXBaseSpecifier &Base : Class->bases()) {
        const CXXRecordDecl *BaseClass = Base.getType()->getAsCXXRecordDecl();
        CharUnits BaseOffset = Base.isVirtual()
                                   ? Layout.getVBaseClassOffset(BaseClass)
                                   : Layout.getBaseClassOffset(BaseClass);
        visit(Base.getType(), Offset + BaseOffset.getQuantity());
      }
    }
    // The vtable pointer points into static data: not followed.
    for (const FieldDecl *Field : Record->fields())
      if (!Field->isBitField())
        visit(Field->getType(),
              Offset + Layout.getFieldOffset(Field->getFieldIndex()) / 8);
  }

  void markPointer(uint64_t Offset) {
    // A packed member may straddle two words: both are scanned.
    markWord(Offset / WordBytes);
    if (Offset % WordBytes)
      markWord(Offset / WordBytes + 1);
  }
  void markRange(uint64_t Offset, uint64_t Size) {
    for (uint64_t Word = Offset / WordBytes; Word * WordBytes < Offset + Size;
         ++Word)
      markWord(Word);
  }
  void markWord(uint64_t Word) {
    if (Word < Words.size())
      Words.set(Word);
  }

  const ASTContext &Ctx;
  llvm::BitVector &Words;
};

/// The map's initialiser: {1, bits of words 0-63, bits of words 64-127...}.
Expr *mapInitialiser(ASTContext &Ctx, const ConstantArrayType *ArrayTy,
                     const llvm::BitVector &Words, SourceLocation Loc) {
  QualType ElementTy = ArrayTy->getElementType();
  unsigned Width = Ctx.getTypeSize(ElementTy);
  llvm::SmallVector<Expr *, 4> Elements{
      IntegerLiteral::Create(Ctx, llvm::APInt(Width, 1), ElementTy, Loc)};
  for (uint64_t Element = 1; Element < ArrayTy->getZExtSize(); ++Element) {
    llvm::APInt Bits(Width, 0);
    for (unsigned Bit = 0; Bit < 64; ++Bit) {
      uint64_t Word = (Element - 1) * 64 + Bit;
      if (Word < Words.size() && Words.test(Word))
        Bits.setBit(Bit);
    }
    Elements.push_back(IntegerLiteral::Create(Ctx, Bits, ElementTy, Loc));
  }
  auto *Init = new (Ctx) InitListExpr(Ctx, Loc, Elements, Loc);
  Init->setType(QualType(ArrayTy, 0));
  return Init;
}

} // namespace

llvm::BitVector pointerWords(const ASTContext &Ctx, QualType T) {
  llvm::BitVector Words(Ctx.getTypeSizeInChars(T).getQuantity() / WordBytes);
  PointerWordFinder(Ctx, Words).visit(T, 0);
  return Words;
}

void fillPointerMaps(ASTContext &Ctx) {
  VarTemplateDecl *Template = rewrite::findRuntimeDecls(Ctx).PointerMap;
  if (!Template)
    return;
  for (VarTemplateSpecializationDecl *Map : Template->specializations()) {
    const TemplateArgumentList &Args = Map->getTemplateArgs();
    if (Args.size() != 1 || Args[0].getKind() != TemplateArgument::Type ||
        !Map->getInit())
      continue;
    QualType T = Args[0].getAsType();
    const ConstantArrayType *ArrayTy =
        Ctx.getAsConstantArrayType(Map->getType());
    if (T->isDependentType() || T->isIncompleteType() || !ArrayTy)
      continue;
    llvm::BitVector Words = pointerWords(Ctx, T);
    // The header sizes the map for T: a mismatch means another header.
    if (ArrayTy->getZExtSize() != 1 + (Words.size() + 63) / 64)
      continue;
    Map->setInit(mapInitialiser(Ctx, ArrayTy, Words, Map->getLocation()));
  }
}

} // namespace gostack::typemap
