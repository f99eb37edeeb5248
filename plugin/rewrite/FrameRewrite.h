//===-- FrameRewrite.h - Code that does what the analysis says --*- C++ -*-===//
//
/// \file
/// The rewrite stage of the pipeline: it turns the escape verdicts into AST
/// changes before code generation sees the managed functions (see
/// frontend/HeldDefinitions.h for how it gets there first).
///
///  - go_new<T>(args...) that does not escape becomes
///      gostack::detail::construct<T, Args...>(&__gostack_slotN, owner,
///      args...)
///    where __gostack_slotN is a byte array of T's size and alignment declared
///    at the top of the frame: one slot per call site per frame, so a loop
///    reuses its slot. When T has a destructor, owner points to a
///    __gostack_ownerN (a gostack::detail::frame_slot_owner) declared with it,
///    which destroys the previous object when the slot is reused and the
///    last one when the frame ends, also by an exception. Otherwise owner is
///    null. construct<T, Args...> is the very function go_new<T, Args...>
///    builds its heap object with, so it already exists.
///  - A local whose address escapes, `T x INIT;`, becomes
///      T &x = *::new (gostack::detail::gc_alloc(sizeof(T), alignof(T), 0, 0))
///      T INIT;
///    keeping its checked initialiser, so every use refers to the heap object.
///  - A parameter whose address escapes gets a heap copy at the top of the
///    body (moved from the parameter), and every use in the body refers to
///    it.
///
/// The verdicts are the one source of truth, and the rewrite keeps them true:
/// a go_new it cannot place in the frame (inside a default argument or a
/// member initialiser, say) becomes "escapes", with the reason at m=2, before
/// the report is printed; a variable it cannot move is an error naming the
/// variable and the reason.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_PLUGIN_REWRITE_FRAMEREWRITE_H
#define GOSTACK_PLUGIN_REWRITE_FRAMEREWRITE_H

#include "escape/Escape.h"

namespace clang {
class Sema;
} // namespace clang

namespace gostack::rewrite {

/// Rewrites the managed functions as \p Verdicts say, and adjusts or adds
/// verdicts where the code cannot follow them.
void rewriteFrames(clang::Sema &S, std::vector<escape::Verdict> &Verdicts);

} // namespace gostack::rewrite

#endif // GOSTACK_PLUGIN_REWRITE_FRAMEREWRITE_H
