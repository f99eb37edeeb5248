//===-- Escape.cpp - Analyse a translation unit bottom-up -----------------===//
//
// 1. The roots are the managed function definitions (including template
//    instantiations). Everything they can call with a body is analysed too,
//    for its summary, but only managed functions are reported.
// 2. Lambdas belong to the function that defines them: they are walked in
//    place, in its batch, so their frames can be related (the closure rule).
// 3. The strongly connected components of the call graph are analysed
//    callees first (Tarjan's order), so every call outside the component
//    finds its callee's summary, and recursion is analysed as one batch.
//
//===----------------------------------------------------------------------===//

#include "escape/Escape.h"

#include "escape/Callees.h"
#include "escape/Solve.h"
#include "escape/Types.h"
#include "escape/Walker.h"

#include "clang/AST/ASTLambda.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace gostack::escape {
namespace {

/// The function whose batch walks FD: a lambda is walked by the function
/// that defines it.
const FunctionDecl *ownerOf(const FunctionDecl *FD) {
  for (;;) {
    const auto *Method = dyn_cast<CXXMethodDecl>(FD);
    if (!Method || !isLambdaCallOperator(Method))
      return FD;
    const auto *Parent = dyn_cast_or_null<FunctionDecl>(
        Method->getParent()->getParentFunctionOrMethod());
    if (!Parent)
      return FD; // a lambda at namespace or class scope
    FD = Parent;
  }
}

bool isWalkable(const FunctionDecl *FD) {
  return FD && FD->getBody() && !FD->isDependentContext() &&
         !FD->isInvalidDecl();
}

/// Finds the managed function definitions of the translation unit.
class RootFinder : public RecursiveASTVisitor<RootFinder> {
public:
  RootFinder(IsManagedFn IsManaged, std::vector<const FunctionDecl *> &Roots)
      : IsManaged(IsManaged), Roots(Roots) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (isWalkable(FD) && FD->isThisDeclarationADefinition() && IsManaged(FD))
      Roots.push_back(ownerOf(FD));
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *E) {
    // A managed lambda inside an unmanaged function is walked by that one.
    const CXXMethodDecl *CallOp = E->getCallOperator();
    if (IsManaged(CallOp) && isWalkable(ownerOf(CallOp)))
      Roots.push_back(ownerOf(CallOp));
    return true;
  }

private:
  IsManagedFn IsManaged;
  std::vector<const FunctionDecl *> &Roots;
};

/// Finds every lambda body (each instantiation of a generic one) in a
/// function, at any depth.
class LambdaBodyFinder : public RecursiveASTVisitor<LambdaBodyFinder> {
public:
  explicit LambdaBodyFinder(std::vector<const FunctionDecl *> &Bodies)
      : Bodies(Bodies) {}
  bool VisitLambdaExpr(LambdaExpr *E) {
    const CXXMethodDecl *CallOp = E->getCallOperator();
    if (const FunctionTemplateDecl *Template =
            CallOp->getDescribedFunctionTemplate()) {
      for (const FunctionDecl *Specialization : Template->specializations())
        if (isWalkable(Specialization)) {
          Bodies.push_back(Specialization);
          TraverseStmt(Specialization->getBody());
        }
    } else if (isWalkable(CallOp)) {
      Bodies.push_back(CallOp);
    }
    return true;
  }

private:
  std::vector<const FunctionDecl *> &Bodies;
};

/// The call graph of the functions to analyse, in discovery order.
struct CallGraph {
  std::vector<const FunctionDecl *> Nodes;
  std::vector<std::vector<unsigned>> Callees;
  llvm::DenseMap<const FunctionDecl *, unsigned> Index;

  unsigned add(const FunctionDecl *FD) {
    auto [It, Inserted] = Index.try_emplace(FD, Nodes.size());
    if (Inserted) {
      Nodes.push_back(FD);
      Callees.emplace_back();
    }
    return It->second;
  }

  void build(llvm::ArrayRef<const FunctionDecl *> Roots,
             ProvideBodyFn ProvideBody) {
    for (const FunctionDecl *Root : Roots)
      add(Root);
    for (unsigned I = 0; I < Nodes.size(); ++I) {
      // Collected first: providing a body may instantiate templates, which
      // must not happen under a traversal.
      llvm::SmallVector<const FunctionDecl *, 16> Called;
      forEachCallee(Nodes[I], [&](const FunctionDecl *Callee) {
        Called.push_back(Callee);
      });
      llvm::DenseSet<unsigned> Seen;
      for (const FunctionDecl *Callee : Called) {
        const FunctionDecl *Definition = analysableDefinition(Callee);
        if (!Definition && Callee && ProvideBody) {
          ProvideBody(Callee);
          Definition = analysableDefinition(Callee);
        }
        if (!isWalkable(Definition))
          continue;
        unsigned Target = add(ownerOf(Definition));
        if (Target != I && Seen.insert(Target).second)
          Callees[I].push_back(Target);
      }
    }
  }

  /// Tarjan's algorithm, iteratively: components come out callees first.
  std::vector<std::vector<const FunctionDecl *>> components() const {
    const unsigned None = ~0u;
    std::vector<unsigned> Order(Nodes.size(), None), Low(Nodes.size());
    std::vector<bool> OnStack(Nodes.size());
    std::vector<unsigned> Stack;
    std::vector<std::pair<unsigned, unsigned>> Frames; // node, next callee
    std::vector<std::vector<const FunctionDecl *>> Result;
    unsigned Counter = 0;
    for (unsigned Start = 0; Start < Nodes.size(); ++Start) {
      if (Order[Start] != None)
        continue;
      Frames.push_back({Start, 0});
      while (!Frames.empty()) {
        auto &[Node, Next] = Frames.back();
        if (Next == 0 && Order[Node] == None) {
          Order[Node] = Low[Node] = Counter++;
          Stack.push_back(Node);
          OnStack[Node] = true;
        }
        if (Next < Callees[Node].size()) {
          unsigned Callee = Callees[Node][Next++];
          if (Order[Callee] == None)
            Frames.push_back({Callee, 0});
          else if (OnStack[Callee])
            Low[Node] = std::min(Low[Node], Order[Callee]);
          continue;
        }
        unsigned Done = Node;
        Frames.pop_back();
        if (!Frames.empty())
          Low[Frames.back().first] =
              std::min(Low[Frames.back().first], Low[Done]);
        if (Low[Done] != Order[Done])
          continue;
        Result.emplace_back();
        unsigned Member;
        do {
          Member = Stack.back();
          Stack.pop_back();
          OnStack[Member] = false;
          Result.back().push_back(Nodes[Member]);
        } while (Member != Done);
      }
    }
    return Result;
  }
};

/// Turns the graph's explanations into text, and the graph's locations into
/// verdicts about managed code.
class VerdictCollector {
public:
  VerdictCollector(ASTContext &Ctx, IsManagedFn IsManaged, bool Explain)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), IsManaged(IsManaged),
        Explain(Explain) {}

  void collect(const Graph &G, std::vector<Verdict> &Out) {
    for (const Location *L : const_cast<Graph &>(G).all())
      if (L->Fn && IsManaged(L->Fn))
        collectOne(*L, Out);
  }

private:
  void collectOne(const Location &L, std::vector<Verdict> &Out) {
    switch (L.Kind) {
    case LocationKind::Variable:
      // Compiler-made variables (a range-for's __begin1) are not the
      // user's: Go does not report its temporaries either.
      if (L.Escapes && !L.Var->isImplicit())
        add(Out, Verdict::MovedToHeap, L.Var->getLocation(), displayName(L.Var),
            true, L);
      return;
    case LocationKind::Allocation:
      add(Out, Verdict::Allocation, goNewLoc(L.Site), L.Label, L.Escapes, L);
      return;
    case LocationKind::Closure:
      add(Out, Verdict::Lambda, L.Site->getBeginLoc(), "lambda", L.Escapes, L);
      return;
    case LocationKind::Parameter:
      return collectParameter(L, Out);
    default:
      return;
    }
  }

  void collectParameter(const Location &L, std::vector<Verdict> &Out) {
    const auto *Param = dyn_cast_or_null<ParmVarDecl>(L.Var);
    if (Param && Param->getName().empty())
      return;
    if (!Param) { // `this`
      const auto *Method = dyn_cast<CXXMethodDecl>(L.Fn);
      if (!Method || isLambdaCallOperator(Method))
        return;
    }
    SourceLocation Loc = Param ? Param->getLocation() : L.Fn->getLocation();
    std::string Name = Param ? Param->getNameAsString() : "this";
    Leaks ParamLeaks = L.ParamLeaks;
    ParamLeaks.optimize();
    if (Param && Param->hasAttr<NoEscapeAttr>() &&
        (L.Escapes || !ParamLeaks.none()))
      add(Out, Verdict::BrokenNoEscape, Loc, Name, true, L);
    if (L.Escapes) {
      add(Out, Verdict::MovedToHeap, Loc, Name, true, L);
      return;
    }
    if (Param && !hasPointers(Param->getType()))
      return;
    Verdict &V = add(Out, Verdict::Parameter, Loc, Name, !ParamLeaks.none(), L);
    V.ParamLeaks = ParamLeaks;
    V.KeptDirectly = L.KeptDirectly;
  }

  static SourceLocation goNewLoc(const Expr *Site) {
    const auto *Call = cast<CallExpr>(Site);
    if (const auto *Ref =
            dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreImpCasts()))
      return Ref->getLocation();
    return Site->getBeginLoc();
  }

  Verdict &add(std::vector<Verdict> &Out, Verdict::KindType Kind,
               SourceLocation Loc, std::string Subject, bool Escapes,
               const Location &L) {
    Out.push_back({Kind,
                   Loc,
                   std::move(Subject),
                   Escapes,
                   L.AddressReturned,
                   {},
                   {},
                   L.Fn,
                   L.Site,
                   L.Var});
    if (Explain && Escapes)
      Out.back().Explanation = explanation(L);
    return Out.back();
  }

  /// L's explanation, continued through the explanations of the escaping
  /// locations it leads to, so that the path ends at the heap.
  std::vector<std::string> explanation(const Location &L) {
    std::vector<std::string> Lines;
    llvm::SmallPtrSet<const Location *, 8> Seen;
    for (const Location *At = &L; At && Seen.insert(At).second;) {
      appendSteps(*At, Lines);
      At = At->Explanation.empty() ? nullptr : At->Explanation.back().Dst;
    }
    return Lines;
  }

  void appendSteps(const Location &L, std::vector<std::string> &Lines) {
    for (const ExplainStep &Step : L.Explanation) {
      std::string Prefix =
          Step.Derefs < 0 ? "&" : std::string(Step.Derefs, '*');
      Lines.push_back("flow: " + Step.Dst->name() + " = " + Prefix +
                      Step.Src->name());
      for (const Note *N = Step.Notes; N; N = N->Next)
        Lines.push_back("from " +
                        (N->Text.empty() ? text(N->Where) : N->Text.str()) +
                        " (" + N->Why.str() + ") at " + position(N->Loc));
    }
    if (!L.ForcedReason.empty()) {
      SourceLocation Loc = L.Var    ? L.Var->getLocation()
                           : L.Site ? L.Site->getBeginLoc()
                                    : SourceLocation();
      std::string What = L.Label.empty() ? L.name() : L.Label;
      Lines.push_back("from " + What + " (" + L.ForcedReason.str() + ") at " +
                      position(Loc));
    }
  }

  std::string text(const Stmt *S) const {
    if (!S)
      return "implicit code";
    StringRef Source = Lexer::getSourceText(
        CharSourceRange::getTokenRange(S->getSourceRange()), SM,
        Ctx.getLangOpts());
    std::string Text;
    for (char C : Source) {
      bool Space = C == ' ' || C == '\n' || C == '\t' || C == '\r';
      if (Space && (Text.empty() || Text.back() == ' '))
        continue;
      Text += Space ? ' ' : C;
    }
    if (Text.empty())
      return "expression";
    if (Text.size() > 60)
      Text = Text.substr(0, 57) + "...";
    return Text;
  }

  std::string position(SourceLocation Loc) const {
    PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Loc));
    if (P.isInvalid())
      return "<unknown>";
    return std::string(P.getFilename()) + ":" + std::to_string(P.getLine()) +
           ":" + std::to_string(P.getColumn());
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  IsManagedFn IsManaged;
  bool Explain;
};

FunctionSummary summarize(const FunctionDecl *FD, const FunctionFrame &Frame,
                          bool Managed) {
  FunctionSummary Summary;
  auto LeaksOf = [](const Location *L) {
    Leaks ParamLeaks = L->ParamLeaks;
    ParamLeaks.optimize();
    return ParamLeaks;
  };
  if (Frame.This)
    Summary.Params.push_back(LeaksOf(Frame.This));
  for (unsigned I = 0; I < Frame.Params.size(); ++I) {
    Leaks ParamLeaks = LeaksOf(Frame.Params[I]);
    // An unmanaged definition is not verified: trust its promises.
    const ParmVarDecl *Param = FD->getParamDecl(I);
    if (!Managed && Param->hasAttr<NoEscapeAttr>())
      ParamLeaks = Leaks();
    else if (!Managed && Param->hasAttr<LifetimeBoundAttr>()) {
      ParamLeaks = Leaks();
      ParamLeaks.addResult(0);
    }
    Summary.Params.push_back(ParamLeaks);
  }
  Summary.ResultEscapes = Frame.Result->Escapes;
  return Summary;
}

} // namespace

std::vector<Verdict> analyseTranslationUnit(ASTContext &Ctx,
                                            IsManagedFn IsManaged, bool Explain,
                                            ProvideBodyFn ProvideBody) {
  std::vector<const FunctionDecl *> Roots;
  RootFinder(IsManaged, Roots).TraverseAST(Ctx);
  if (Roots.empty())
    return {};

  CallGraph Calls;
  Calls.build(Roots, ProvideBody);

  SummaryMap Summaries;
  std::vector<Verdict> Verdicts;
  VerdictCollector Collector(Ctx, IsManaged, Explain);
  for (const std::vector<const FunctionDecl *> &Component :
       Calls.components()) {
    Graph G(Explain);
    llvm::SmallPtrSet<const FunctionDecl *, 4> Batch(Component.begin(),
                                                     Component.end());
    Walker W(Ctx, G, Summaries, Batch, IsManaged);
    std::vector<const FunctionDecl *> Functions(Component.begin(),
                                                Component.end());
    // Lambdas anywhere in the definition: body, member initialisers,
    // default arguments.
    for (const FunctionDecl *FD : Component)
      LambdaBodyFinder(Functions).TraverseDecl(const_cast<FunctionDecl *>(FD));
    for (const FunctionDecl *FD : Functions)
      W.declareFunction(FD);
    for (const FunctionDecl *FD : Component)
      W.walkFunction(FD);
    solve(G);
    for (const FunctionDecl *FD : Functions)
      if (const FunctionFrame *Frame = W.frameOf(FD))
        Summaries[FD->getCanonicalDecl()] =
            summarize(FD, *Frame, IsManaged(FD));
    Collector.collect(G, Verdicts);
  }
  return Verdicts;
}

} // namespace gostack::escape
