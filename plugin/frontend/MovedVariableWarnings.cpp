//===-- MovedVariableWarnings.cpp - Clang's warnings about moved locals ---===//

#include "frontend/MovedVariableWarnings.h"

#include "clang/Basic/DiagnosticSema.h"

using namespace clang;

namespace gostack {

llvm::DenseSet<SourceLocation>
movedVariables(const std::vector<escape::Verdict> &Verdicts) {
  llvm::DenseSet<SourceLocation> Moved, Unmovable;
  for (const escape::Verdict &V : Verdicts) {
    if (!V.Var)
      continue;
    if (V.Kind == escape::Verdict::MovedToHeap)
      Moved.insert(V.Var->getLocation());
    else if (V.Kind == escape::Verdict::Unmovable)
      Unmovable.insert(V.Var->getLocation());
  }
  for (SourceLocation Loc : Unmovable)
    Moved.erase(Loc);
  return Moved;
}

MovedVariableWarnings &MovedVariableWarnings::install(DiagnosticsEngine &Diags,
                                                      IsManagedFn IsManaged) {
  DiagnosticConsumer &Target = *Diags.getClient();
  std::unique_ptr<DiagnosticConsumer> Owned = Diags.takeClient();
  auto *Filter = new MovedVariableWarnings(Diags, Target, std::move(Owned),
                                           std::move(IsManaged));
  Diags.setClient(Filter, /*ShouldOwnClient=*/true);
  return *Filter;
}

const VarDecl *
MovedVariableWarnings::heldVariable(DiagnosticsEngine::Level Level,
                                    const Diagnostic &Info) const {
  if (!IsManaged || Releasing || Level != DiagnosticsEngine::Warning ||
      Info.getID() != diag::warn_ret_stack_addr_ref || Info.getNumArgs() < 2 ||
      Info.getArgKind(1) != DiagnosticsEngine::ak_nameddecl)
    return nullptr;
  const auto *Var =
      dyn_cast<VarDecl>(reinterpret_cast<const NamedDecl *>(Info.getRawArg(1)));
  if (!Var || !Var->hasLocalStorage())
    return nullptr;
  const auto *Fn =
      dyn_cast_or_null<FunctionDecl>(Var->getParentFunctionOrMethod());
  return Fn && IsManaged(Fn) ? Var : nullptr;
}

void MovedVariableWarnings::HandleDiagnostic(DiagnosticsEngine::Level Level,
                                             const Diagnostic &Info) {
  if (const VarDecl *Var = heldVariable(Level, Info)) {
    Held.push_back({Var->getLocation(), {StoredDiagnostic(Level, Info)}});
    HoldingNotes = true;
    return;
  }
  // The notes of a held warning ("captured by reference here") go with it.
  if (Level == DiagnosticsEngine::Note && HoldingNotes && !Releasing) {
    Held.back().Diagnostics.emplace_back(Level, Info);
    return;
  }
  HoldingNotes = false;
  Target.HandleDiagnostic(Level, Info);
  takeCounts();
}

void MovedVariableWarnings::takeCounts() {
  // The compiler reads the counts of its client (us): they are the target's,
  // which may count differently (-verify counts failed expectations).
  NumWarnings = Target.getNumWarnings();
  NumErrors = Target.getNumErrors();
}

void MovedVariableWarnings::release(
    const llvm::DenseSet<SourceLocation> &Moved) {
  IsManaged = nullptr;
  Releasing = true;
  for (const HeldWarning &Warning : Held)
    if (!Moved.contains(Warning.VarLoc))
      for (const StoredDiagnostic &Diagnostic : Warning.Diagnostics)
        Diags.Report(Diagnostic);
  Releasing = false;
  HoldingNotes = false;
  Held.clear();
}

void MovedVariableWarnings::detach() { release({}); }

void MovedVariableWarnings::BeginSourceFile(const LangOptions &LangOpts,
                                            const Preprocessor *PP) {
  Target.BeginSourceFile(LangOpts, PP);
}

void MovedVariableWarnings::EndSourceFile() {
  Target.EndSourceFile();
  takeCounts();
}

void MovedVariableWarnings::finish() {
  Target.finish();
  takeCounts();
}

void MovedVariableWarnings::clear() {
  Target.clear();
  takeCounts();
}

} // namespace gostack
