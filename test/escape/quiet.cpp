// Without `m` the plugin prints nothing, and it never reports inside system
// headers, even with m=2 and managed=all.
// RUN: %verify -isystem %S/Inputs -Wno-return-stack-address %s
// RUN: %verify=m -fplugin-arg-gostack-m -fplugin-arg-gostack-managed=all -isystem %S/Inputs -Wno-return-stack-address %s
// RUN: %verify=m -fplugin-arg-gostack-m=2 -fplugin-arg-gostack-managed=all -isystem %S/Inputs -Wno-return-stack-address %s
// expected-no-diagnostics

#include "system-managed.h"

[[gostack::managed]] int *leak() {
  int n = 7; // m-remark {{moved to heap: n}}
  // m-note@-1 0+ {{}}
  return &n;
}

int useHeader() {
  int x = 0;
  return *systemIdentity(&x) + systemManagedLeak();
}
