//===-- ManagedAttr.cpp - The [[gostack::managed]] attribute --------------===//
//
// Registers [[gostack::managed]] with Clang's parser. It becomes the same
// annotation as the header's GOSTACK_MANAGED spelling (see
// ManagedFunctions.h); everything else asks ManagedFunctions.
//
//===----------------------------------------------------------------------===//

#include "frontend/ManagedFunctions.h"

#include "clang/Basic/ParsedAttrInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Sema/ParsedAttr.h"
#include "clang/Sema/Sema.h"

using namespace clang;

namespace gostack {
namespace {

constexpr llvm::StringLiteral AttrName = "'gostack::managed'";

/// Whether the attribute was written with an argument list. Clang 19's
/// __has_cpp_attribute does not see scoped plugin attributes, so its parser
/// skips their arguments without a word: look at the next token instead.
bool hasArguments(Sema &S, const ParsedAttr &Attr) {
  if (Attr.getNumArgs() != 0)
    return true;
  std::optional<Token> Next = Lexer::findNextToken(
      S.getSourceManager().getSpellingLoc(Attr.getRange().getEnd()),
      S.getSourceManager(), S.getLangOpts());
  return Next && Next->is(tok::l_paren);
}

struct ManagedAttrInfo : public ParsedAttrInfo {
  ManagedAttrInfo() {
    static constexpr Spelling Spellings[] = {
        {ParsedAttr::AS_CXX11, "gostack::managed"}};
    this->Spellings = Spellings;
  }

  bool diagAppertainsToDecl(Sema &S, const ParsedAttr &Attr,
                            const Decl *D) const override {
    if (canBeManaged(D))
      return true;
    reportMisplacedMarker(S.getDiagnostics(), Attr.getLoc(), AttrName);
    return false;
  }

  bool diagAppertainsToStmt(Sema &S, const ParsedAttr &Attr,
                            const Stmt *) const override {
    reportMisplacedMarker(S.getDiagnostics(), Attr.getLoc(), AttrName);
    return false;
  }

  AttrHandling handleDeclAttribute(Sema &S, Decl *D,
                                   const ParsedAttr &Attr) const override {
    if (hasArguments(S, Attr)) {
      DiagnosticsEngine &Diags = S.getDiagnostics();
      Diags.Report(Attr.getLoc(),
                   Diags.getCustomDiagID(DiagnosticsEngine::Error,
                                         "%0 takes no arguments"))
          << AttrName;
      return AttributeNotApplied;
    }
    addManagedAnnotation(D, Attr.getRange());
    return AttributeApplied;
  }
};

} // namespace
} // namespace gostack

static ParsedAttrInfoRegistry::Add<gostack::ManagedAttrInfo>
    RegisterManagedAttr("gostack-managed",
                        "[[gostack::managed]]: mark a function managed");
