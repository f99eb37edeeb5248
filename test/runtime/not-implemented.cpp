// A part of the API that does not exist yet stops the program with a
// message naming it and Go's exit status 2, never silently.
// RUN: %gostack_cxx %s -o %t %gostack_link
// RUN: not %t go 2>&1 | FileCheck %s --check-prefix=GO
// RUN: not %t chan 2>&1 | FileCheck %s --check-prefix=CHAN
// RUN: %t go 2>/dev/null; test $? -eq 2

#include <gostack/gostack.h>

#include <cstring>

int main(int argc, char **argv) {
  if (argc < 2)
    return 1;
  return gostack::run([&] {
    if (!std::strcmp(argv[1], "go"))
      gostack::go([] {});
    if (!std::strcmp(argv[1], "chan"))
      gostack::chan<int> c(1);
    return 0;
  });
}
// GO: fatal error: gostack: go is not implemented yet
// CHAN: fatal error: gostack: chan is not implemented yet
