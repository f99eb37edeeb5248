// managed=all treats every function defined outside system headers as
// managed: the main file and the project's own headers (inline functions and
// template instantiations included), but not what -isystem reaches, nor the
// runtime's own namespace gostack.
// RUN: %gostack_cxx -fplugin-arg-gostack-managed=all -S -emit-llvm -O0 -I %S/Inputs -isystem %S/Inputs/system %s -o - | FileCheck %s
// RUN: %gostack_cxx -S -emit-llvm -O0 -I %S/Inputs -isystem %S/Inputs/system %s -o - | FileCheck %s --check-prefix=DEFAULT

#include "project-header.h"
#include <gostack/gostack.h>
#include <system-header.h>

// CHECK-DAG: define {{.*}} @_Z6inMainv() #[[MANAGED:[0-9]+]]
// DEFAULT-DAG: define {{.*}} @_Z6inMainv() #[[PLAIN:[0-9]+]]
int inMain() {
  int *p = gostack::go_new<int>(1);
  return headerFunction() + headerTemplate(1) + systemFunction() + *p;
}

// CHECK-DAG: define {{.*}} @_Z14headerFunctionv() #[[HEADER:[0-9]+]]
// CHECK-DAG: define {{.*}} @_Z14headerTemplateIiET_S0_(i32 {{.*}}) #[[HEADER]]
// CHECK-DAG: define {{.*}} @_Z14systemFunctionv() #[[OTHER:[0-9]+]]
// CHECK-DAG: define {{.*}} @_ZN7gostack6detail9constructIiJiEEEPT_PvPNS0_14lifetime_ownerEDpOT0_({{.*}}) #[[OTHER]]
// CHECK-DAG: attributes #[[MANAGED]] = { {{.*}}"gostack-managed"
// CHECK-DAG: attributes #[[HEADER]] = { {{.*}}"gostack-managed"
// CHECK-NOT: attributes #[[OTHER]] = { {{.*}}"gostack-managed"
// DEFAULT-NOT: gostack-managed
