// A real-world translation unit: {fmt} (Debian's libfmt-dev), header-only
// mode, analysed with managed=all: no crash, verdicts reached.
// REQUIRES: fmt
// RUN: %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics -DFMT_HEADER_ONLY %plugin %runtime_include -include gostack/gostack.h -fplugin-arg-gostack-managed=all -fplugin-arg-gostack-m -Wno-return-stack-address %s 2>&1 | FileCheck %s

#include <fmt/format.h>

#include <string>

std::string greet(const std::string &name, int count) {
  return fmt::format("hello {} x{}", name, count);
}

// CHECK: remark: moved to heap: buffer
const char *formatted(int value) {
  char buffer[32];
  fmt::format_to_n(buffer, sizeof buffer, "{}", value);
  return buffer;
}
