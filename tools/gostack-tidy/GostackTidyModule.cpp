//===-- GostackTidyModule.cpp - gostack's escape verdicts in clang-tidy ---===//
//
// libgostack-tidy.so: a clang-tidy module with one check, gostack-escape,
// that gives the plugin's escape verdicts through clang-tidy -- for CI
// pipelines that already run it. It links the plugin's analysis library
// (plugin/CMakeLists.txt, gostack-analysis), so the verdicts are the same;
// each verdict is a remark, its m=2 flow notes.
//
//   clang-tidy-19 --load=build/lib/libgostack-tidy.so \
//       --checks=-*,gostack-escape -p build src/file.cpp
//
// Options (.clang-tidy, CheckOptions):
//   gostack-escape.Managed  "all": every function outside system headers is
//                           managed, as -fplugin-arg-gostack-managed=all
//                           (clang-tidy does not see plugin arguments)
//   gostack-escape.Flow     false: no flow notes (default true)
//
//===----------------------------------------------------------------------===//

#include "frontend/EscapeReport.h"
#include "frontend/ManagedFunctions.h"
#include "frontend/TranslationUnitAnalysis.h"

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Parse/Parser.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::tidy;

namespace gostack {
namespace {

class EscapeCheck : public ClangTidyCheck {
public:
  EscapeCheck(StringRef Name, ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context), Managed(Options.get("Managed", "")),
        Flow(Options.get("Flow", true)) {}

  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "Managed", Managed);
    Options.store(Opts, "Flow", Flow);
  }

  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus;
  }

  void registerPPCallbacks(const SourceManager &, Preprocessor *PP,
                           Preprocessor *) override {
    this->PP = PP;
  }

  /// Once per translation unit.
  void registerMatchers(MatchFinder *Finder) override {
    Finder->addMatcher(translationUnitDecl(), this);
  }

  void check(const MatchFinder::MatchResult &Result) override {
    PluginOptions Options;
    Options.ManageAll = Managed == "all";
    Options.ReportLevel = Flow ? 2 : 1;
    Sema *S = sema();
    if (!S) {
      diag("gostack-escape: clang-tidy's parser is not reachable; no "
           "verdicts",
           DiagnosticIDs::Error);
      return;
    }
    ManagedFunctions Functions(Options, *Result.SourceManager);
    auto IsManaged = [&](const FunctionDecl *FD) {
      return Functions.isManaged(FD);
    };
    for (const Finding &F :
         reportFindings(analyseManagedCode(*S, IsManaged, Flow), Options,
                        *Result.Context, IsManaged)) {
      diag(F.Loc, "%0", levelOf(F.Level)) << F.Message;
      if (Flow || F.Level != DiagnosticsEngine::Remark)
        for (const FindingNote &Note : F.Notes)
          diag(Note.Loc, "%0", DiagnosticIDs::Note) << Note.Text;
    }
  }

private:
  static DiagnosticIDs::Level levelOf(DiagnosticsEngine::Level Level) {
    switch (Level) {
    case DiagnosticsEngine::Error:
    case DiagnosticsEngine::Fatal:
      return DiagnosticIDs::Error;
    case DiagnosticsEngine::Warning:
      return DiagnosticIDs::Warning;
    default:
      return DiagnosticIDs::Remark;
    }
  }

  /// The analysis instantiates the standard library's extern template
  /// bodies through Sema, as the plugin does (ExternTemplateBodies.h), and a
  /// check is given no Sema. The parser is alive while the matchers run
  /// (ParseAST hands the consumer the translation unit before it ends), and
  /// it installs itself as the preprocessor's code completion handler.
  Sema *sema() const {
    if (!PP)
      return nullptr;
    auto *P = static_cast<Parser *>(PP->getCodeCompletionHandler());
    return P ? &P->getActions() : nullptr;
  }

  const std::string Managed;
  const bool Flow;
  Preprocessor *PP = nullptr;
};

class GostackModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<EscapeCheck>("gostack-escape");
  }
};

} // namespace
} // namespace gostack

static ClangTidyModuleRegistry::Add<gostack::GostackModule>
    RegisterModule("gostack-module", "gostack's escape analysis verdicts");
