// A system header (included with -isystem) with managed code: it is
// analysed, but nothing in it is ever reported.
#pragma once

[[gostack::managed]] inline int *systemIdentity(int *p) { return p; }

[[gostack::managed]] inline int systemManagedLeak() {
  static int *kept;
  int local = 1;
  kept = &local;
  return 0;
}
