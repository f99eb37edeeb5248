// swap: pointer parameters that are only dereferenced.
//
// The Go original:
//
//   func swap(a, b *int) {
//       *a, *b = *b, *a
//   }
//
//   func main() {
//       x, y := 1, 2
//       swap(&x, &y)
//       fmt.Println(x, y)
//   }
//
// go build -gcflags='-m -l' reports:
//   a does not escape
//   b does not escape
// so x and y stay on main's stack although their addresses are taken.

#include <gostack/gostack.h>

#include <cstdio>

[[gostack::managed]] void swap(int *a, int *b) {
  int t = *a;
  *a = *b;
  *b = t;
}

[[gostack::managed]] int swapped_difference() {
  int x = 1, y = 2;
  swap(&x, &y);
  return x - y;
}

int main() {
  int difference = swapped_difference();
  std::printf("after swap: x - y = %d\n", difference);
  return difference == 1 ? 0 : 1;
}
