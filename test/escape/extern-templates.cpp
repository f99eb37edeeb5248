// Before C++20, libstdc++ declares std::string `extern template`: its members
// (rfind, find, compare, ...) have no body in the translation unit. The
// analysis instantiates them for itself (ExternTemplateBodies.h), so a
// string only searched does not escape -- in C++17 as in C++20.
// RUN: %verify -fplugin-arg-gostack-m -std=c++17 %s
// RUN: %verify -fplugin-arg-gostack-m -std=c++20 %s
// The program still links the library's own instances, and runs.
// RUN: %gostack_cxx -std=c++17 -O2 -DMAIN %s -o %t %gostack_link && %t

#include <string>

[[gostack::managed]] std::string::size_type
lastSlash(const std::string &path) { // expected-remark {{path does not escape}}
  return path.rfind('/');
}

[[gostack::managed]] int compareNames() {
  std::string a = "a name long enough for the heap, not the small buffer";
  std::string b = "another name, long enough for the heap as well";
  return a.compare(b) + int(lastSlash(a));
}

#ifdef MAIN
int main() { return lastSlash("dir/file") == 3 && compareNames() != 0 ? 0 : 1; }
#endif
