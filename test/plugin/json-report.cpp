// json=DIR writes the translation unit's verdicts as LSP diagnostics, one
// file per TU named after the main file and a hash of its path: range
// (0-based, one token), severity (3 Information for a verdict, 2 for a
// warning, 1 for an error), source "gostack", a code per kind, the m=2 flow
// as relatedInformation -- whatever the m level, and without changing what
// the compiler prints.
// RUN: rm -rf %t.dir
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %runtime_include \
// RUN:   -fplugin-arg-gostack-json=%t.dir %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=QUIET
// RUN: ls %t.dir | FileCheck %s --check-prefix=NAME
// RUN: python3 -m json.tool --sort-keys %t.dir/*.json | FileCheck %s
// Deterministic: the same compile writes the same bytes.
// RUN: cp %t.dir/*.json %t.first
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin %runtime_include \
// RUN:   -fplugin-arg-gostack-json=%t.dir %s
// RUN: cmp %t.first %t.dir/*.json
// An unwritable directory is an error naming it.
// RUN: not %clangxx -std=c++20 -fsyntax-only %plugin %runtime_include \
// RUN:   -fplugin-arg-gostack-json=/proc/gostack %s 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNWRITABLE

#include <gostack/gostack.h>

[[gostack::managed]] int *leak() {
  int n = 7;
  return &n;
}

[[gostack::managed]] int sum(int *p) { return *p; }

// A gostack warning is there too, its note as related information.
thread_local int counter;

[[gostack::managed]] int afterPark(gostack::chan<int> &c) {
  int v = c.recv();
  return v + counter;
}

// QUIET: warning: thread_local 'counter' is used after
// QUIET: note: 'gostack::chan<int>::recv' can park
// QUIET-NOT: remark: {{.}}

// NAME: json-report.cpp.{{[0-9A-F]+}}.json

// CHECK:      "diagnostics": [
// CHECK-NEXT:   {
// CHECK-NEXT:     "code": "moved-to-heap",
// CHECK-NEXT:     "message": "moved to heap: n",
// CHECK-NEXT:     "range": {
// CHECK-NEXT:       "end": {
// CHECK-NEXT:         "character": 7,
// CHECK-NEXT:         "line": 25
// CHECK-NEXT:       },
// CHECK-NEXT:       "start": {
// CHECK-NEXT:         "character": 6,
// CHECK-NEXT:         "line": 25
// CHECK:          "relatedInformation": [
// CHECK:              "message": "flow: ~r0 = &n"
// CHECK:          "severity": 3,
// CHECK-NEXT:     "source": "gostack",
// CHECK-NEXT:     "uri": "file://{{.*}}json-report.cpp"
// CHECK:          "code": "does-not-escape",
// CHECK-NEXT:     "message": "p does not escape",
// CHECK:          "severity": 3,
// CHECK:          "code": "thread-local-across-park",
// CHECK-NEXT:     "message": "thread_local 'counter' is used after 'gostack::chan<int>::recv'{{.*}}",
// CHECK:          "relatedInformation": [
// CHECK:                "start": {
// CHECK-NEXT:             "character": 10,
// CHECK-NEXT:             "line": 35
// CHECK:              "message": "'gostack::chan<int>::recv' can park the goroutine here{{.*}}"
// CHECK:          "severity": 2,
// CHECK:      "file": "{{.*}}json-report.cpp"

// UNWRITABLE: error: cannot write the escape report /proc/gostack/json-report.cpp.{{[0-9A-F]+}}.json
