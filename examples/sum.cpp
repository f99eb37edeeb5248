// sum: a buffer that never leaves its function.
//
// The Go original:
//
//   func sum() int {
//       numbers := make([]int, 100)
//       for i := range numbers {
//           numbers[i] = i + 1
//       }
//       var total int
//       for _, n := range numbers {
//           total += n
//       }
//       return total
//   }
//
// go build -gcflags='-m -l' reports:
//   make([]int, 100) does not escape
// so the 800-byte buffer lives in sum's frame and costs no allocation.

#include <gostack/gostack.h>

#include <array>
#include <cstdio>

[[gostack::managed]] int sum() {
  auto *numbers = gostack::go_new<std::array<int, 100>>();
  for (int i = 0; i < 100; ++i)
    (*numbers)[i] = i + 1;
  int total = 0;
  for (int n : *numbers)
    total += n;
  return total;
}

int main() {
  std::printf("sum() = %d\n", sum());
  return sum() == 5050 ? 0 : 1;
}
