//===-- ExternTemplateBodies.h - Extern template bodies ---------*- C++ -*-===//
//
/// \file
/// The standard library declares many of its template members `extern
/// template` (libstdc++ does so for std::string before C++20, for the
/// streams, ...): the library binary holds their code, and a translation unit
/// that calls them never instantiates their bodies. The analysis would then
/// treat a call such as `name.rfind('/')` as a call of an unknown function,
/// and every string passed to one would move to the heap.
///
/// Go analyses its standard library like any other package. The equivalent
/// here: when the analysis reaches such a member, this instantiates its body
/// from the header's template, for the analysis to read. Only members of
/// templates defined in system headers (the library explicitly instantiated
/// them, so they compile), and the member stays `extern template`: code
/// generation emits at most an available_externally copy (none at -O0), and
/// the program still links the library's own instance.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_FRONTEND_EXTERNTEMPLATEBODIES_H
#define GOSTACK_PLUGIN_FRONTEND_EXTERNTEMPLATEBODIES_H

namespace clang {
class FunctionDecl;
class Sema;
} // namespace clang

namespace gostack {

/// Gives \p FD, a member of a system-header template declared with
/// `extern template`, its instantiated body; does nothing to any other
/// function.
void instantiateExternTemplateBody(clang::Sema &S,
                                   const clang::FunctionDecl *FD);

} // namespace gostack

#endif // GOSTACK_PLUGIN_FRONTEND_EXTERNTEMPLATEBODIES_H
