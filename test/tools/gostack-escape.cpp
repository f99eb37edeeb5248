// gostack-escape prints the plugin's verdicts from a compilation database:
// as text (the plugin's m and m=2), as LSP JSON, as a summary; the build's
// plugin arguments apply; an unsaved buffer comes from standard input; bad
// input gets a clear message.
// RUN: rm -rf %t && mkdir -p %t/all
// RUN: echo '[{"directory": "%t", "file": "%s", "command": "%clangxx -std=c++20 %runtime_include -c %s -o %t/x.o"}]' > %t/compile_commands.json
// RUN: echo '[{"directory": "%t", "file": "%s", "command": "%clangxx -std=c++20 %runtime_include %plugin -fplugin-arg-gostack-managed=all -c %s -o %t/x.o"}]' > %t/all/compile_commands.json
//
// RUN: %gostack_escape -p %t %s 2>&1 | FileCheck %s --check-prefix=TEXT
// RUN: %gostack_escape -p %t --m=2 %s 2>&1 | FileCheck %s --check-prefix=FLOW
// Without names, every file of the database.
// RUN: %gostack_escape -p %t 2>&1 | FileCheck %s --check-prefix=TEXT
// RUN: %gostack_escape -p %t --json %s | python3 -m json.tool --sort-keys \
// RUN:   | FileCheck %s --check-prefix=JSON
// RUN: %gostack_escape -p %t --summary %s | FileCheck %s --check-prefix=SUMMARY
// A header counts once, however many files include it and however spelt.
// RUN: mkdir -p %t/two && cd %t/two
// RUN: echo '[[gostack::managed]] inline int *kept() { int k = 1; return &k; }' > h.h
// RUN: echo '#include "h.h"' > a.cpp && echo '#include "./h.h"' > b.cpp
// RUN: %gostack_escape --summary a.cpp b.cpp -- -std=c++20 %runtime_include // RUN:   -include gostack/gostack.h | FileCheck %s --check-prefix=HEADER
// Files are analysed in parallel; the output is in the order of the files
// whatever the number of jobs.
// RUN: %gostack_escape -j 1 a.cpp b.cpp -- -std=c++20 %runtime_include \
// RUN:   -include gostack/gostack.h > %t/one.out 2>&1
// RUN: %gostack_escape -j 4 a.cpp b.cpp -- -std=c++20 %runtime_include \
// RUN:   -include gostack/gostack.h > %t/four.out 2>&1
// RUN: cmp %t/one.out %t/four.out
// RUN: FileCheck %s --check-prefix=ORDER --input-file=%t/four.out
// Each file is read from its own command's directory, in parallel too.
// RUN: mkdir -p %t/dirs/p1/inc %t/dirs/p2/inc
// RUN: echo '[[gostack::managed]] inline int *one() { int first = 1; return &first; }' > %t/dirs/p1/inc/h.h
// RUN: echo '[[gostack::managed]] inline int *two() { int second = 2; return &second; }' > %t/dirs/p2/inc/h.h
// RUN: echo '#include "h.h"' > %t/dirs/p1/s.cpp && echo '#include "h.h"' > %t/dirs/p2/s.cpp
// RUN: echo '[{"directory": "%t/dirs/p1", "file": "s.cpp", "command": "%clangxx -std=c++20 %runtime_include -include gostack/gostack.h -Iinc -c s.cpp"}, {"directory": "%t/dirs/p2", "file": "s.cpp", "command": "%clangxx -std=c++20 %runtime_include -include gostack/gostack.h -Iinc -c s.cpp"}]' > %t/dirs/compile_commands.json
// RUN: %gostack_escape -p %t/dirs -j 2 2>&1 | FileCheck %s --check-prefix=DIRS
// RUN: %gostack_escape -p %t/all %s 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: %gostack_escape -p %t --managed=all %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ALL
// RUN: sed 's/return &n;/return nullptr;/' %s \
// RUN:   | %gostack_escape -p %t --stdin=%s %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNSAVED
// The same through a VFS overlay that maps the file to a fixed copy.
// RUN: sed 's/return &n;/return nullptr;/' %s > %t/fixed.cpp
// RUN: echo '{"version": 0, "roots": [{"name": "%s", "type": "file", "external-contents": "%t/fixed.cpp"}]}' > %t/overlay.yaml
// RUN: %gostack_escape -p %t --vfsoverlay=%t/overlay.yaml %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNSAVED
//
// RUN: not %gostack_escape -p /nonexistent/gostack %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NODB
// RUN: not %gostack_escape -p %t %t/missing.cpp 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// RUN: not %gostack_escape -p %t --m=3 %s 2>&1 | FileCheck %s --check-prefix=LEVEL
// RUN: not %gostack_escape -p %t --vfsoverlay=%t/none.yaml %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OVERLAY

#include <gostack/gostack.h>

[[gostack::managed]] int *leak() {
  int n = 7;
  return &n;
}

[[gostack::managed]] int sum(int *p) { return *p; }

int unmarked() {
  int k = 1;
  int *volatile p = &k;
  static int *sink;
  sink = p;
  return *p;
}

// TEXT: gostack-escape.cpp:[[@LINE-14]]:7: remark: moved to heap: n
// TEXT: gostack-escape.cpp:[[@LINE-11]]:35: remark: p does not escape
// TEXT-NOT: remark:

// FLOW: [[@LINE-18]]:7: remark: moved to heap: n
// FLOW: [[@LINE-19]]:7: note: flow: ~r0 = &n

// JSON:      "code": "moved-to-heap",
// JSON:      "message": "moved to heap: n",
// JSON:      "relatedInformation": [
// JSON:          "message": "flow: ~r0 = &n"
// JSON:      "source": "gostack"
// JSON:      "code": "does-not-escape",
// JSON:      "file": "{{.*}}gostack-escape.cpp"

// SUMMARY:      gostack-escape.cpp: 1 moved to heap, 0 escape, 1 stay on the stack, 0 leaking params
// SUMMARY-NEXT:   leak: 1 moved to heap, 0 escape, 0 stay on the stack, 0 leaking params
// SUMMARY-NEXT:   sum: 0 moved to heap, 0 escape, 1 stay on the stack, 0 leaking params
// SUMMARY-NEXT: total: 1 moved to heap, 0 escape, 1 stay on the stack, 0 leaking params
// SUMMARY-NEXT: top offenders (moved to heap + escapes):
// SUMMARY-NEXT:      1  leak  ({{.*}}gostack-escape.cpp)

// HEADER:      two/h.h: 1 moved to heap, 0 escape, 0 stay on the stack, 0 leaking params
// HEADER-NEXT:   kept: 1 moved to heap
// HEADER-NEXT: total: 1 moved to heap

// ORDER:      In file included from {{.*}}a.cpp:1:
// ORDER-NEXT: h.h:1:47: remark: moved to heap: k
// ORDER:      In file included from {{.*}}b.cpp:1:
// ORDER-NEXT: h.h:1:47: remark: moved to heap: k

// DIRS-DAG: inc/h.h:1:{{[0-9]+}}: remark: moved to heap: first
// DIRS-DAG: inc/h.h:1:{{[0-9]+}}: remark: moved to heap: second

// ALL: remark: moved to heap: n
// ALL: remark: moved to heap: k

// UNSAVED-NOT: moved to heap
// UNSAVED: remark: p does not escape
// UNSAVED-NOT: moved to heap

// NODB: error: {{.*}}compilation database{{.*}}
// NODB: help: pass -p <build directory>

// MISSING: gostack-escape: error: {{.*}}missing.cpp: no such file

// LEVEL: error: --m must be 0, 1 or 2

// OVERLAY: error: cannot read the overlay {{.*}}none.yaml
