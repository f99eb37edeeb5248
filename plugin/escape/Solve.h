//===-- Solve.h - Propagate escapes through the location graph --*- C++ -*-===//

#ifndef GOSTACK_PLUGIN_ESCAPE_SOLVE_H
#define GOSTACK_PLUGIN_ESCAPE_SOLVE_H

#include "escape/Graph.h"

namespace gostack::escape {

/// Computes which locations escape and where parameters leak.
void solve(Graph &G);

} // namespace gostack::escape

#endif // GOSTACK_PLUGIN_ESCAPE_SOLVE_H
