//===-- GostackEscape.cpp - gostack's escape analysis over a project ------===//
//
// gostack-escape: the plugin's escape verdicts without compiling, for a file
// or a whole compilation database. It parses each translation unit with its
// command from compile_commands.json and runs the same analysis library as
// the plugin (plugin/CMakeLists.txt, gostack-analysis), so it prints the same
// verdicts; the rewrite does not run, so the rewrite's own errors (a
// variable that cannot move) come from the compiler only.
//
//   gostack-escape -p build src/a.cpp src/b.cpp   # as the plugin's m
//   gostack-escape -p build --m=2 src/a.cpp       # with the flow
//   gostack-escape -p build --json                # every file, LSP JSON
//   gostack-escape -p build --summary             # counts, top offenders
//   gostack-escape -p build --stdin=a.cpp < buf   # an unsaved buffer
//   gostack-escape -p build -j 8                  # eight files at once
//
// The build's own plugin arguments (-fplugin-arg-gostack-managed=all, ...)
// apply; --managed=all adds managed=all where the build does not say it.
//
//===----------------------------------------------------------------------===//

#include "ProjectSummary.h"
#include "frontend/EscapeReport.h"
#include "frontend/ManagedFunctions.h"
#include "frontend/MovedVariableWarnings.h"
#include "frontend/PluginOptions.h"
#include "frontend/TranslationUnitAnalysis.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Sema/Sema.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"

using namespace clang;
using namespace clang::tooling;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory Category("gostack-escape options");

cl::extrahelp Help(CommonOptionsParser::HelpMessage);
cl::extrahelp MoreHelp(
    "\nWithout source files, every file of the compilation database.\n");

cl::opt<unsigned>
    Level("m",
          cl::desc("0: errors only; 1: decisions, as -fplugin-arg-gostack-m "
                   "(default); 2: with the flow that explains each"),
          cl::init(1), cl::cat(Category));
cl::opt<bool> Json("json",
                   cl::desc("Print each translation unit's verdicts as LSP "
                            "diagnostics, one JSON array on standard output"),
                   cl::cat(Category));
cl::opt<bool>
    Summary("summary",
            cl::desc("Print counts per file and function and the functions "
                     "that send the most to the heap"),
            cl::cat(Category));
cl::opt<unsigned> Top("top",
                      cl::desc("How many offenders --summary lists (10)"),
                      cl::init(10), cl::cat(Category));
cl::opt<std::string>
    Managed("managed",
            cl::desc("'all': manage every function outside system headers, as "
                     "-fplugin-arg-gostack-managed=all does"),
            cl::value_desc("all"), cl::cat(Category));
cl::opt<std::string>
    Overlay("vfsoverlay",
            cl::desc("A virtual file system overlay (Clang's YAML format) "
                     "over the real one: unsaved files"),
            cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string>
    StdinFile("stdin",
              cl::desc("Read the contents of <file> from standard input "
                       "(an editor's unsaved buffer)"),
              cl::value_desc("file"), cl::cat(Category));

cl::opt<unsigned> Jobs("j",
                       cl::desc("How many files to analyse at once (default: "
                                "one per core)"),
                       cl::init(0), cl::cat(Category));

/// What all translation units add up to. Files are analysed in parallel;
/// each one's output waits in its slot and is printed in the order of the
/// files, so that the output does not depend on timing.
struct Results {
  explicit Results(size_t Files) : Output(Files), Documents(Files) {}

  /// What the compiler printed for each file: its diagnostics and remarks.
  std::vector<std::string> Output;
  std::vector<std::optional<llvm::json::Value>> Documents;
  std::mutex SummaryLock;
  gostack::ProjectSummary Summary;
};

class EscapeConsumer : public ASTConsumer {
public:
  EscapeConsumer(CompilerInstance &CI, gostack::PluginOptions Options,
                 Results &Out, size_t File)
      : CI(CI), Options(std::move(Options)), Out(Out), File(File),
        Functions(this->Options, CI.getSourceManager()),
        Warnings(gostack::MovedVariableWarnings::install(CI.getDiagnostics(),
                                                         IsManaged)) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    const SourceManager &SM = CI.getSourceManager();
    std::vector<gostack::escape::Verdict> Verdicts =
        gostack::analyseManagedCode(CI.getSema(), IsManaged,
                                    Options.ReportLevel >= 2 || Json);
    // The plugin's rewrite makes returning a moved variable's address safe:
    // Clang's warning about it goes, as in the plugin.
    Warnings.release(gostack::movedVariables(Verdicts));
    std::vector<gostack::Finding> Findings =
        gostack::reportFindings(std::move(Verdicts), Options, Ctx, IsManaged);
    gostack::printFindings(Findings, Options, CI.getDiagnostics());
    if (Json)
      Out.Documents[File] = llvm::json::Object{
          {"file", gostack::mainFilePath(SM)},
          {"diagnostics", gostack::lspDiagnostics(Findings, SM)}};
    if (Summary) {
      std::lock_guard<std::mutex> Guard(Out.SummaryLock);
      Out.Summary.add(Findings, SM);
    }
  }

  ~EscapeConsumer() override { Warnings.detach(); }

private:
  CompilerInstance &CI;
  gostack::PluginOptions Options;
  Results &Out;
  size_t File;
  gostack::ManagedFunctions Functions;
  std::function<bool(const FunctionDecl *)> IsManaged =
      [this](const FunctionDecl *FD) { return Functions.isManaged(FD); };
  gostack::MovedVariableWarnings &Warnings;
};

class EscapeAction : public ASTFrontendAction {
public:
  EscapeAction(Results &Out, size_t File, llvm::raw_ostream &Log)
      : Out(Out), File(File), Log(Log) {}

protected:
  /// Clang's own lines ("1 warning generated.") go to the file's output too.
  bool BeginInvocation(CompilerInstance &CI) override {
    CI.setVerboseOutputStream(Log);
    return true;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    // The build's own plugin arguments, then ours.
    std::vector<std::string> Args = CI.getFrontendOpts().PluginArgs["gostack"];
    if (Managed == "all")
      Args.push_back("managed=all");
    std::optional<gostack::PluginOptions> Options =
        gostack::parsePluginOptions(Args, CI.getDiagnostics());
    if (!Options)
      return nullptr;
    if (!CI.getLangOpts().CPlusPlus)
      return std::make_unique<ASTConsumer>();
    // The tool's own output: its level, no JSON files.
    Options->ReportLevel = Json || Summary ? 0 : Level;
    Options->JsonDir.clear();
    return std::make_unique<EscapeConsumer>(CI, std::move(*Options), Out, File);
  }

private:
  Results &Out;
  size_t File;
  llvm::raw_ostream &Log;
};

class EscapeActionFactory : public FrontendActionFactory {
public:
  EscapeActionFactory(Results &Out, size_t File, llvm::raw_ostream &Log)
      : Out(Out), File(File), Log(Log) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<EscapeAction>(Out, File, Log);
  }

private:
  Results &Out;
  size_t File;
  llvm::raw_ostream &Log;
};

/// The file system one file is read through: the disk, under --vfsoverlay.
/// Each file gets its own, with its own working directory (ClangTool sets
/// it to the compile command's): the process-wide one would be changed by
/// files running in parallel.
llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fileSystem() {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Real(
      llvm::vfs::createPhysicalFileSystem().release());
  if (Overlay.empty())
    return Real;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer =
      Real->getBufferForFile(Overlay);
  if (!Buffer) {
    llvm::WithColor::error(llvm::errs(), "gostack-escape")
        << "cannot read the overlay " << Overlay << ": "
        << Buffer.getError().message() << "\n";
    return nullptr;
  }
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Mapped =
      llvm::vfs::getVFSFromYAML(std::move(*Buffer), nullptr, Overlay, nullptr,
                                Real);
  if (!Mapped) {
    llvm::WithColor::error(llvm::errs(), "gostack-escape")
        << "the overlay " << Overlay << " is not a valid VFS overlay\n";
    return nullptr;
  }
  auto Stack = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(Real);
  Stack->pushOverlay(Mapped);
  return Stack;
}

/// The compilation database: -p's, or the one above the first source
/// file. CommonOptionsParser falls back to "no flags" with a warning when
/// there is none, which gives wrong verdicts without a word: here it is an
/// error. It also loads nothing when no source file is named.
std::unique_ptr<CompilationDatabase>
loadDatabase(llvm::ArrayRef<std::string> Sources) {
  // CommonOptionsParser keeps -p to itself; it is registered by name.
  auto *BuildPath = static_cast<cl::opt<std::string> *>(
      cl::getRegisteredOptions().lookup("p"));
  bool HasBuildPath = BuildPath && !BuildPath->empty();
  if (!HasBuildPath && Sources.empty()) {
    llvm::WithColor::error(llvm::errs(), "gostack-escape")
        << "no source files: name some, or pass -p <build directory> to "
           "analyse every file of its compile_commands.json\n";
    return nullptr;
  }
  std::string Error;
  std::unique_ptr<CompilationDatabase> Database =
      HasBuildPath
          ? CompilationDatabase::autoDetectFromDirectory(*BuildPath, Error)
          : CompilationDatabase::autoDetectFromSource(Sources.front(), Error);
  if (!Database)
    llvm::WithColor::error(llvm::errs(), "gostack-escape")
        << "no compilation database: " << Error
        << "\nhelp: pass -p <build directory> (the directory of "
           "compile_commands.json), or the compile flags after --\n";
  return Database;
}

} // namespace

int main(int argc, const char **argv) {
  // After --, the flags are the database (CommonOptionsParser makes it).
  bool FixedFlags =
      llvm::any_of(llvm::ArrayRef(argv, argc),
                   [](llvm::StringRef Arg) { return Arg == "--"; });
  llvm::Expected<CommonOptionsParser> Parser =
      CommonOptionsParser::create(argc, argv, Category, cl::ZeroOrMore);
  if (!Parser) {
    llvm::WithColor::error(llvm::errs(), "gostack-escape")
        << llvm::toString(Parser.takeError())
        << "\nhelp: pass -p <build directory> (the directory of "
           "compile_commands.json), or the compile flags after --\n";
    return 1;
  }
  if (Level > 2) {
    llvm::WithColor::error(llvm::errs(), "gostack-escape")
        << "--m must be 0, 1 or 2\n";
    return 1;
  }
  if (!Managed.empty() && Managed != "all") {
    llvm::WithColor::error(llvm::errs(), "gostack-escape")
        << "--managed takes only 'all'\n";
    return 1;
  }
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = fileSystem();
  if (!FS)
    return 1;
  std::vector<std::string> Sources = Parser->getSourcePathList();
  std::unique_ptr<CompilationDatabase> Loaded;
  if (!FixedFlags && !(Loaded = loadDatabase(Sources)))
    return 1;
  CompilationDatabase &Database = Loaded ? *Loaded : Parser->getCompilations();
  if (Sources.empty())
    Sources = Database.getAllFiles();
  if (Sources.empty()) {
    llvm::WithColor::error(llvm::errs(), "gostack-escape")
        << "the compilation database lists no source files\n";
    return 1;
  }
  for (const std::string &Source : Sources)
    if (!FS->exists(Source) && Source != StdinFile) {
      llvm::WithColor::error(llvm::errs(), "gostack-escape")
          << Source << ": no such file\n";
      return 1;
    }
  std::string StdinContents;
  if (!StdinFile.empty()) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Input =
        llvm::MemoryBuffer::getSTDIN();
    if (!Input) {
      llvm::WithColor::error(llvm::errs(), "gostack-escape")
          << "cannot read standard input: " << Input.getError().message()
          << "\n";
      return 1;
    }
    StdinContents = (*Input)->getBuffer().str();
  }
  Results Out(Sources.size());
  std::vector<int> Status(Sources.size());
  llvm::DefaultThreadPool Pool(llvm::hardware_concurrency(Jobs));
  for (size_t I = 0; I < Sources.size(); ++I)
    Pool.async([&, I] {
      llvm::raw_string_ostream Log(Out.Output[I]);
      ClangTool Tool(Database, {Sources[I]},
                     std::make_shared<PCHContainerOperations>(), fileSystem());
      if (!StdinFile.empty())
        Tool.mapVirtualFile(StdinFile, StdinContents);
      auto DiagOpts = llvm::makeIntrusiveRefCnt<DiagnosticOptions>();
      DiagOpts->ShowColors = llvm::errs().has_colors();
      TextDiagnosticPrinter Printer(Log, DiagOpts.get());
      Tool.setDiagnosticConsumer(&Printer);
      EscapeActionFactory Factory(Out, I, Log);
      Status[I] = Tool.run(&Factory);
    });
  Pool.wait();
  for (const std::string &Output : Out.Output)
    llvm::errs() << Output;
  llvm::json::Array Documents;
  for (std::optional<llvm::json::Value> &Document : Out.Documents)
    if (Document)
      Documents.push_back(std::move(*Document));
  if (Json)
    llvm::outs() << llvm::formatv("{0:2}",
                                  llvm::json::Value(std::move(Documents)))
                 << "\n";
  if (Summary)
    Out.Summary.print(llvm::outs(), Top);
  return *llvm::max_element(Status);
}
