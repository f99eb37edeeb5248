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
#include "frontend/ManagedFunctions.h"
#include "frontend/PluginOptions.h"
#include "pass/MarkManagedPass.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/Passes/PassBuilder.h"

using namespace clang;

namespace gostack {
namespace {

class GostackConsumer : public ASTConsumer {
public:
  GostackConsumer(const PluginOptions &Options, CompilerInstance &CI)
      : Options(Options), CI(CI),
        Functions(this->Options, CI.getSourceManager()) {}

  bool HandleTopLevelDecl(DeclGroupRef Group) override {
    for (Decl *D : Group)
      Functions.scan(D);
    return true;
  }

  void HandleInlineFunctionDefinition(FunctionDecl *FD) override {
    Functions.scan(FD);
  }

  void HandleCXXImplicitFunctionInstantiation(FunctionDecl *FD) override {
    Functions.scan(FD);
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    // After an error the AST may hold recovery nodes: say nothing more.
    if (CI.getDiagnostics().hasErrorOccurred())
      return;
    std::vector<escape::Verdict> Verdicts = escape::analyseTranslationUnit(
        Ctx, [&](const FunctionDecl *FD) { return Functions.isManaged(FD); },
        Options.ReportLevel >= 2);
    reportVerdicts(std::move(Verdicts), Options, CI.getDiagnostics(),
                   CI.getSourceManager());
  }

private:
  PluginOptions Options;
  CompilerInstance &CI;
  ManagedFunctions Functions;
};

void registerIRPasses(llvm::PassBuilder &PB) {
  PB.registerPipelineStartEPCallback(
      [](llvm::ModulePassManager &MPM, llvm::OptimizationLevel) {
        MPM.addPass(MarkManagedPass());
      });
}

class GostackAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    if (Options.Rewrite)
      CI.getCodeGenOpts().PassBuilderCallbacks.push_back(registerIRPasses);
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

} // namespace
} // namespace gostack

static FrontendPluginRegistry::Add<gostack::GostackAction>
    RegisterPlugin("gostack", "Go-style escape analysis and stack management");
