// A real-world translation unit: nlohmann/json (Debian's nlohmann-json3-dev)
// analysed with managed=all. The plugin must not crash, and must reach its
// verdicts on code it was not written for.
// REQUIRES: nlohmann-json
// RUN: %clangxx -std=c++20 -fsyntax-only -fno-caret-diagnostics %plugin %runtime_include -include gostack/gostack.h -fplugin-arg-gostack-managed=all -fplugin-arg-gostack-m %s 2>&1 | FileCheck %s
// RUN: %clangxx -std=c++20 -O2 -c %plugin %runtime_include -include gostack/gostack.h -fplugin-arg-gostack-managed=all %s -o %t.o

#include <nlohmann/json.hpp>

#include <string>

using nlohmann::json;

// CHECK-DAG: json.cpp:[[#@LINE+1]]:{{[0-9]+}}: remark: {{.*}}
int countKeys(const std::string &text) {
  json document = json::parse(text);
  return static_cast<int>(document.size());
}

std::string roundTrip(int value) {
  json document = {{"value", value}, {"list", {1, 2, 3}}};
  return document.dump();
}

// CHECK-DAG: remark: moved to heap: kept
json *keep() {
  json kept = json::object();
  return &kept;
}
