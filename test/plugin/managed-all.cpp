// managed=all treats every function defined in the main file as managed,
// and nothing defined in a header it includes.
// RUN: %gostack_cxx -fplugin-arg-gostack-managed=all -S -emit-llvm -O0 -I %S/Inputs %s -o - | FileCheck %s
// RUN: %gostack_cxx -S -emit-llvm -O0 -I %S/Inputs %s -o - | FileCheck %s --check-prefix=DEFAULT

#include "unmanaged-header.h"

// CHECK-DAG: define {{.*}} @_Z6inMainv() #[[MANAGED:[0-9]+]]
// DEFAULT-DAG: define {{.*}} @_Z6inMainv() #[[PLAIN:[0-9]+]]
int inMain() { return headerFunction() + 1; }

// CHECK-DAG: define {{.*}} @_Z14headerFunctionv() #[[OTHER:[0-9]+]]
// CHECK-DAG: attributes #[[MANAGED]] = { {{.*}}"gostack-managed"
// CHECK-NOT: attributes #[[OTHER]] = { {{.*}}"gostack-managed"
// DEFAULT-NOT: gostack-managed
