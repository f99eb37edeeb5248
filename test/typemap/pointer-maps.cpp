// Type maps: for each T allocated with go_new the plugin fills in
// gostack::detail::pointer_map<T> from T's record layout -- element 0 is 1
// ("known"), then one bit per word that can hold a pointer: members, bases,
// std::string's buffer pointer, arrays -- and where C++ hides pointers that
// Go's rules would miss (docs/HEAP.md): a union (all of it), a uintptr_t or
// intptr_t member, every aligned word of byte storage at least a pointer
// wide (a small vector's inline buffer).
// Without the plugin the maps stay zero ("unknown: scan every word").
// RUN: %gostack_cxx %s -o %t %gostack_link && %t | FileCheck %s
// RUN: %plain_cxx %s -o %t.plain %gostack_link && %t.plain \
// RUN:   | FileCheck %s --check-prefix=PLAIN

#include <gostack/gostack.h>

#include <cstdio>
#include <string>

struct Node {
  long value;
  Node *next; // word 1
  int *data;  // word 2
  long pad;
};
struct Named : Node {
  std::string name; // words 4-7, its pointer in word 4
  double weight;
};
union Either {
  long number;
  void *pointer;
};
struct Wide {
  long numbers[70];
  Node *last; // word 70: the second element of the map
};
struct Plain {
  int a, b;
};
struct SmallVector {
  long size;
  alignas(8) unsigned char storage[32]; // words 1-4
};
struct Tagged {
  int kind;
  std::uintptr_t bits; // word 1: a pointer with a tag in its low bits
};
struct ShortName {
  char name[7]; // narrower than a pointer
  long count;
};

template <class T> void show(const char *name) {
  gostack::go_new<T>();
  const std::uint64_t *map = gostack::detail::pointer_map<T>;
  std::printf("%s:", name);
  for (std::size_t i = 0; i < sizeof(gostack::detail::pointer_map<T>) / 8; ++i)
    std::printf(" %llx", static_cast<unsigned long long>(map[i]));
  std::printf("\n");
}

int main() {
  show<Node>("Node");
  show<Named>("Named");
  show<Either>("Either");
  show<Wide>("Wide");
  show<Plain>("Plain");
  show<SmallVector>("SmallVector");
  show<Tagged>("Tagged");
  show<ShortName>("ShortName");
  // CHECK: Node: 1 6
  // std::string: its pointer (word 4) and its small buffer, a union (6-7).
  // CHECK-NEXT: Named: 1 d6
  // CHECK-NEXT: Either: 1 1
  // CHECK-NEXT: Wide: 1 0 40
  // CHECK-NEXT: Plain: 1 0
  // CHECK-NEXT: SmallVector: 1 1e
  // CHECK-NEXT: Tagged: 1 2
  // CHECK-NEXT: ShortName: 1 0
  // PLAIN: Node: 0 0
  // PLAIN-NEXT: Named: 0 0
  // PLAIN-NEXT: Either: 0 0
  // PLAIN-NEXT: Wide: 0 0 0
  // PLAIN-NEXT: Plain: 0 0
}
