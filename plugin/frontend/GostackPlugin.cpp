//===-- GostackPlugin.cpp - The gostack Clang plugin ----------------------===//
//
// The entry point Clang loads. For each translation unit it parses the
// plugin arguments, keeps the set of managed functions complete as
// declarations arrive (before code generation sees them), and registers the
// IR pass with the code generator's pass pipeline at every -O level.
//
//   AST -> ManagedFunctions -> escape analysis -> EscapeReport (remarks)
//       -> code generation -> MarkManagedPass (IR) -> runtime
//
//===----------------------------------------------------------------------===//

#include "frontend/EscapeReport.h"
#include "frontend/HeldDefinitions.h"
#include "frontend/ManagedFunctions.h"
#include "frontend/MovedVariableWarnings.h"
#include "frontend/PluginOptions.h"
#include "frontend/TranslationUnitAnalysis.h"
#include "pass/MarkManagedPass.h"
#include "pass/SafePointsPass.h"
#include "rewrite/FrameRewrite.h"
#include "rewrite/LentAddressChecks.h"
#include "rewrite/PointerFreeAllocations.h"
#include "typemap/PointerMaps.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/Sema.h"
#include "llvm/Passes/PassBuilder.h"

using namespace clang;

namespace gostack {
namespace {

class GostackConsumer : public ASTConsumer {
public:
  GostackConsumer(const PluginOptions &Options, CompilerInstance &CI)
      : Options(Options), CI(CI),
        Functions(this->Options, CI.getSourceManager()),
        HeldRegistration(Held.registerFor(CI)) {
    if (this->Options.Rewrite)
      Warnings =
          &MovedVariableWarnings::install(CI.getDiagnostics(), IsManaged);
  }

  bool HandleTopLevelDecl(DeclGroupRef Group) override {
    if (Held.isReleasing())
      return true;
    for (Decl *D : Group) {
      Functions.scan(D);
      if (Options.Rewrite)
        Held.holdBack(D, isManaged());
    }
    return true;
  }

  void HandleInlineFunctionDefinition(FunctionDecl *FD) override {
    Functions.scan(FD);
    if (Options.Rewrite)
      Held.holdBack(FD, isManaged());
  }

  void HandleCXXImplicitFunctionInstantiation(FunctionDecl *FD) override {
    Functions.scan(FD);
  }

  ~GostackConsumer() override {
    if (Warnings)
      Warnings->detach();
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    Held.restoreBodies();
    llvm::DenseSet<SourceLocation> Moved = analyseAndRewrite(Ctx);
    if (Warnings)
      Warnings->release(Moved);
    Held.release(CI.getASTConsumer());
  }

private:
  /// Returns where the variables moved to the heap are declared.
  llvm::DenseSet<SourceLocation> analyseAndRewrite(ASTContext &Ctx) {
    // After an error the AST may hold recovery nodes: neither analyse nor
    // rewrite it.
    if (CI.getDiagnostics().hasErrorOccurred())
      return {};
    std::vector<escape::Verdict> Verdicts = analyseManagedCode(
        CI.getSema(), isManaged(),
        Options.ReportLevel >= 2 || !Options.JsonDir.empty());
    // Rewrite first: where the code cannot follow a verdict, the rewrite
    // changes the verdict, so the report says what the code does.
    if (Options.Rewrite) {
      rewrite::rewriteFrames(CI.getSema(), Verdicts);
      rewrite::addLentAddressChecks(Ctx, Verdicts);
      typemap::fillPointerMaps(Ctx);
      rewrite::markPointerFreeAllocations(Ctx);
    }
    llvm::DenseSet<SourceLocation> Moved = movedVariables(Verdicts);
    std::vector<Finding> Findings =
        reportFindings(std::move(Verdicts), Options, Ctx, isManaged());
    printFindings(Findings, Options, CI.getDiagnostics());
    if (!Options.JsonDir.empty())
      writeJsonReport(Findings, Options.JsonDir, CI.getDiagnostics(),
                      CI.getSourceManager());
    return Moved;
  }

  HeldDefinitions::IsManagedFn isManaged() const { return IsManaged; }

  PluginOptions Options;
  CompilerInstance &CI;
  ManagedFunctions Functions;
  std::function<bool(const FunctionDecl *)> IsManaged =
      [this](const FunctionDecl *FD) { return Functions.isManaged(FD); };
  HeldDefinitions Held;
  HeldDefinitions::Registration HeldRegistration;
  MovedVariableWarnings *Warnings = nullptr;
};

/// The runtime declarations rewritten code calls, included into every
/// translation unit the plugin rewrites when the runtime's include directory
/// is on the path, so that a project builds with managed=all unchanged.
constexpr llvm::StringLiteral RewriteSupportInclude =
    "#if __has_include(<gostack/detail/rewrite.h>)\n"
    "#include <gostack/detail/rewrite.h>\n"
    "#endif\n";

/// Whether the plugin has anything to do for this input: C++ only (a C
/// translation unit compiled with the same flags is left alone).
bool isCXX(const CompilerInstance &CI) { return CI.getLangOpts().CPlusPlus; }

void registerIRPasses(llvm::PassBuilder &PB, const PluginOptions &Options) {
  PB.registerPipelineStartEPCallback(
      [](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
        MPM.addPass(MarkManagedPass());
      });
  if (!Options.StackMaps)
    return;
  bool DumpStackMaps = Options.ReportLevel >= 3;
  PB.registerOptimizerLastEPCallback(
      [DumpStackMaps](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
        MPM.addPass(SafePointsPass(DumpStackMaps));
      });
}

class GostackAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    if (!isCXX(CI))
      return std::make_unique<ASTConsumer>();
    if (Options.Rewrite) {
      CI.getCodeGenOpts().PassBuilderCallbacks.push_back(
          [Options = Options](llvm::PassBuilder &PB) {
            registerIRPasses(PB, Options);
          });
      Preprocessor &PP = CI.getPreprocessor();
      PP.setPredefines(PP.getPredefines() + RewriteSupportInclude.str());
    }
    return std::make_unique<GostackConsumer>(Options, CI);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    std::optional<PluginOptions> Parsed =
        parsePluginOptions(Args, CI.getDiagnostics());
    if (!Parsed)
      return false;
    Options = *Parsed;
    return true;
  }

  // Run on every compile that loads the plugin, before code generation.
  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  PluginOptions Options;
};

/// Runs just after the code generator, to give back the bodies the main
/// consumer held back from it (HeldDefinitions.h).
class RestoreHeldBodiesAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    return createRestorer(CI);
  }
  bool ParseArgs(const CompilerInstance &,
                 const std::vector<std::string> &) override {
    return true;
  }
  ActionType getActionType() override { return AddAfterMainAction; }
};

} // namespace
} // namespace gostack

// Registered in this order, so the main consumer exists when the restorer is
// made.
static FrontendPluginRegistry::Add<gostack::GostackAction>
    RegisterPlugin("gostack", "Go-style escape analysis and stack management");
static FrontendPluginRegistry::Add<gostack::RestoreHeldBodiesAction>
    RegisterRestorer("gostack-restore-held-bodies",
                     "gives code generation's skipped bodies back to Sema");
