// printAny: a value handed to a function the analysis cannot see.
//
// The Go original:
//
//   func printAny(x int) {
//       fmt.Println(x)       // x escapes to heap
//   }
//
// fmt.Println takes an interface, so x is boxed and the box escapes. The C++
// rendering passes &x to print_any, defined in another translation unit:
// gostack, like Go for calls it cannot see, assumes every pointer argument
// escapes, so x is moved to heap.

#include <gostack/gostack.h>

#include "printany_sink.h"

[[gostack::managed]] void printAny(int x) { print_any(&x); }

int main() {
  printAny(42);
  return 0;
}
