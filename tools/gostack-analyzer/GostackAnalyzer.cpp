//===-- GostackAnalyzer.cpp - gostack's Static Analyzer checkers ----------===//
//
// libgostack-analyzer.so: the checker package `gostack` for Clang 19's
// static analyzer (docs/ANALYZER.md). Loading it also registers the
// [[gostack::managed]] attribute, so the checkers know managed functions as
// the plugin does; `-analyzer-config gostack:managed=all` is the plugin's
// `managed=all`.
//
// Run: clang++ --analyze -Xclang -load -Xclang libgostack-analyzer.so
//        -Xclang -analyzer-checker=gostack [-Xclang -analyzer-config
//        -Xclang gostack:managed=all] file.cpp
//
//===----------------------------------------------------------------------===//

#include "Boundary.h"

#include "clang/StaticAnalyzer/Core/CheckerManager.h"
#include "clang/StaticAnalyzer/Frontend/CheckerRegistry.h"

using namespace clang;
using namespace clang::ento;

namespace gostack::analyzer {
void registerKeptStackAddressChecks(CheckerManager &Manager, bool Setjmp);
void registerKeptStackAddressBase(CheckerManager &Manager);
void registerThreadLocalAcrossPark(CheckerManager &Manager);
void registerUnscannedMemory(CheckerManager &Manager);
} // namespace gostack::analyzer

using namespace gostack::analyzer;

static bool always(const CheckerManager &) { return true; }

constexpr const char *DocsUri = "docs/ANALYZER.md";

// Found by name by the analyzer (the rest of the library is hidden).
extern "C" [[gnu::visibility("default")]] void
clang_registerCheckers(CheckerRegistry &Registry) {
  Registry.addPackage(Package);
  Registry.addPackageOption(
      "string", Package, "managed", "marked",
      "Which functions are managed: 'marked' ([[gostack::managed]] and "
      "GOSTACK_MANAGED) or 'all' (the plugin's managed=all)",
      "released");
  Registry.addChecker(registerKeptStackAddressBase, always,
                      "gostack.KeptStackAddressBase",
                      "Tracks stack addresses kept outside the stack", DocsUri,
                      /*IsHidden=*/true);
  Registry.addChecker(
      [](CheckerManager &M) { registerKeptStackAddressChecks(M, false); },
      always, "gostack.StackAddressAcrossManagedCall",
      "An address in the goroutine's stack kept outside it and used after a "
      "call into managed code, which may move the stack",
      DocsUri, /*IsHidden=*/false);
  Registry.addDependency("gostack.StackAddressAcrossManagedCall",
                         "gostack.KeptStackAddressBase");
  Registry.addChecker(
      [](CheckerManager &M) { registerKeptStackAddressChecks(M, true); },
      always, "gostack.SetjmpInGoroutine",
      "A jmp_buf outside the goroutine's stack used by longjmp after a call "
      "into managed code, which may move the stack",
      DocsUri, /*IsHidden=*/false);
  Registry.addDependency("gostack.SetjmpInGoroutine",
                         "gostack.KeptStackAddressBase");
  Registry.addChecker(registerThreadLocalAcrossPark, always,
                      "gostack.ThreadLocalAcrossPark",
                      "A thread_local used after a call that may resume the "
                      "goroutine on another thread",
                      DocsUri, /*IsHidden=*/false);
  Registry.addChecker(registerUnscannedMemory, always,
                      "gostack.GCPointerInUnscannedMemory",
                      "A pointer to a GC object stored in memory from mmap, "
                      "which the collector does not scan",
                      DocsUri, /*IsHidden=*/false);
}

extern "C"
    [[gnu::visibility("default")]] const char clang_analyzerAPIVersionString[] =
        CLANG_ANALYZER_API_VERSION_STRING;
