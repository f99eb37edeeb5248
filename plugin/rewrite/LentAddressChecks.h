//===-- LentAddressChecks.h - Entry checks for lent addresses ---*- C++ -*-===//
//-*-===//
//
/// \file
/// "leaking param: p" trusts the caller: a managed caller moved *p to the
/// heap. An unmanaged caller on a goroutine may pass the address of its own
/// local instead, which the function then keeps beyond the call. Every
/// managed function whose pointer or reference parameter (or `this`) leaks
/// -- to the heap, or into the object another parameter points to -- gets,
/// at the top of its body,
///
///   gostack::detail::check_lent_address(p, holder, "f: parameter p");
///
/// (holder: null for the heap, else that other parameter's object), which
/// records the address when it lies in the running goroutine's stack so
/// that stack moves keep the kept copies right (runtime/src/sched/
/// lent_addresses.h, docs/ANALYZER.md "The run-time half").
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_REWRITE_LENTADDRESSCHECKS_H
#define GOSTACK_PLUGIN_REWRITE_LENTADDRESSCHECKS_H

#include "escape/Escape.h"

#include <vector>

namespace gostack::rewrite {

/// Adds the entry checks the parameter verdicts of \p Verdicts call for.
void addLentAddressChecks(clang::ASTContext &Ctx,
                          const std::vector<escape::Verdict> &Verdicts);

} // namespace gostack::rewrite

#endif // GOSTACK_PLUGIN_REWRITE_LENTADDRESSCHECKS_H
