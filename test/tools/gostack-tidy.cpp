// The clang-tidy module: the check gostack-escape gives each verdict as a
// remark with its flow as notes, keeps level and notes in --export-fixes,
// and takes Managed and Flow as check options.
// RUN: rm -rf %t && mkdir -p %t
// RUN: echo '[{"directory": "%t", "file": "%s", "command": "%clangxx -std=c++20 %runtime_include -c %s -o %t/x.o"}]' > %t/compile_commands.json
// RUN: %gostack_tidy --checks=-*,gostack-escape -p %t %s \
// RUN:   --export-fixes=%t/fixes.yaml 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=FIXES --input-file=%t/fixes.yaml
// RUN: %gostack_tidy --checks=-*,gostack-escape -p %t %s \
// RUN:   --config='{CheckOptions: {gostack-escape.Managed: all, gostack-escape.Flow: false}}' \
// RUN:   2>&1 | FileCheck %s --check-prefix=ALL
// RUN: %gostack_tidy --checks=-*,gostack-escape --list-checks \
// RUN:   | FileCheck %s --check-prefix=LIST

#include <gostack/gostack.h>

[[gostack::managed]] int *leak() {
  int n = 7;
  return &n;
}

int unmarked() {
  int k = 1;
  int *volatile p = &k;
  static int *sink;
  sink = p;
  return *p;
}

// CHECK: gostack-tidy.cpp:[[@LINE-12]]:7: remark: moved to heap: n [gostack-escape]
// CHECK: gostack-tidy.cpp:[[@LINE-13]]:7: note: flow: ~r0 = &n
// CHECK-NOT: moved to heap: k

// FIXES:      DiagnosticName:  gostack-escape
// FIXES:        Message:         'moved to heap: n'
// FIXES:      Notes:
// FIXES-NEXT:   - Message:         'flow: ~r0 = &n'
// FIXES:      Level:           Remark

// ALL-NOT: note:
// ALL: remark: moved to heap: n [gostack-escape]
// ALL-NOT: note:
// ALL: remark: moved to heap: k [gostack-escape]

// LIST: gostack-escape
