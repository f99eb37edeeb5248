// One source of truth: the plugin, gostack-escape and the clang-tidy check
// give the same verdicts, flows and warnings, line for line, on this file (the
// standard library's extern templates included: std::string's members; a
// thread_local across a park) and on examples/newint.cpp.
// RUN: rm -rf %t && mkdir -p %t
// RUN: echo '[{"directory": "%t", "file": "%s", "command": "%clangxx -std=c++17 %runtime_include -c %s -o %t/a.o"}, {"directory": "%t", "file": "%src_root/examples/newint.cpp", "command": "%clangxx -std=c++20 %runtime_include -c %src_root/examples/newint.cpp -o %t/b.o"}]' > %t/compile_commands.json
// RUN: %clangxx -std=c++17 -fsyntax-only %plugin -fplugin-arg-gostack-m=2 \
// RUN:   %runtime_include %s 2> %t/plugin.out
// RUN: %clangxx -std=c++20 -fsyntax-only %plugin -fplugin-arg-gostack-m=2 \
// RUN:   %runtime_include %src_root/examples/newint.cpp 2>> %t/plugin.out
// RUN: %gostack_escape -p %t --m=2 %s %src_root/examples/newint.cpp 2> %t/tool.out
// RUN: %gostack_tidy --checks=-*,gostack-escape -p %t %s \
// RUN:   %src_root/examples/newint.cpp > %t/tidy.out 2>&1
// RUN: for f in plugin tool tidy; do \
// RUN:   grep -E ': (remark|warning|note): ' %t/$f.out \
// RUN:     | sed 's/ \[gostack-escape\]$//' \
// RUN:     | sort > %t/$f.verdicts; done
// RUN: FileCheck %s --input-file=%t/plugin.verdicts
// RUN: diff %t/plugin.verdicts %t/tool.verdicts
// RUN: diff %t/plugin.verdicts %t/tidy.verdicts

#include <gostack/gostack.h>

#include <string>

[[gostack::managed]] std::string baseName(const std::string &path) {
  std::string copy = path;
  return copy.substr(copy.rfind('/') + 1);
}

[[gostack::managed]] int *keep(int *p) { return p; }

thread_local int counter;

[[gostack::managed]] int afterPark(gostack::chan<int> &c) {
  int v = c.recv();
  return v + counter;
}

[[gostack::managed]] int count() {
  int n = 0;
  auto bump = [&n] { ++n; };
  bump();
  int *q = gostack::go_new<int>(n);
  return *keep(q);
}

// CHECK-DAG: newint.cpp:24:7: remark: moved to heap: n
// CHECK-DAG: same-verdicts.cpp:26:62: remark: path does not escape
// CHECK-DAG: same-verdicts.cpp:31:37: remark: leaking param: p to result ~r0 level=0
// CHECK-DAG: same-verdicts.cpp:37:14: warning: thread_local 'counter' is used after 'gostack::chan<int>::recv'
// CHECK-DAG: same-verdicts.cpp:36:11: note: 'gostack::chan<int>::recv' can park the goroutine here
// CHECK-DAG: same-verdicts.cpp:42:15: remark: lambda does not escape
// CHECK-DAG: same-verdicts.cpp:44:21: remark: go_new<int>(...) does not escape
