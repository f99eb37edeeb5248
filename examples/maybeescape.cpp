// maybeEscape: escape analysis is flow-insensitive.
//
// The Go original:
//
//   var global *int
//
//   func maybeEscape(publish bool) {
//       x := 1                  // moved to heap: x
//       if publish {
//           global = &x
//       }
//   }
//
// x escapes on one path, so it is moved to heap on every path: the analysis
// decides at compile time, not at run time.

#include <gostack/gostack.h>

#include <cstdio>

int *global;

[[gostack::managed]] void maybeEscape(bool publish) {
  int x = 1;
  if (publish)
    global = &x;
}

int main() {
  maybeEscape(false);
  maybeEscape(true);
  std::printf("*global = %d\n", *global);
  return *global == 1 ? 0 : 1;
}
