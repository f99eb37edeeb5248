// The standard library is analysed like any code the managed functions
// call: containers and strings used locally stay local; what is stored in
// them follows Go's rules.
// RUN: %verify -fplugin-arg-gostack-m %s

#include <array>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

[[gostack::managed]] int arrayLocal() {
  std::array<int, 100> numbers{};
  for (int i = 0; i < 100; ++i)
    numbers[i] = i + 1;
  return numbers[99];
}

[[gostack::managed]] int stringLocal() {
  std::string s = "hello";
  return int(s.size());
}

[[gostack::managed]] int vectorLocal() {
  std::vector<int> v;
  v.push_back(1);
  return v[0];
}

// What is stored in a vector lives in its heap buffer (as Go's append).
[[gostack::managed]] void vectorOfPointers() {
  int x = 0; // expected-remark {{moved to heap: x}}
  std::vector<int *> v;
  v.push_back(&x);
}

[[gostack::managed]] int uniquePtr() {
  auto p = std::make_unique<int>(3);
  return *p;
}

[[gostack::managed]] int pairOfPointer() {
  int x = 1;
  std::pair<int *, int> p{&x, 2};
  return *p.first;
}

[[gostack::managed]] int structuredBinding() {
  int x = 1;
  std::pair<int *, int> p{&x, 2};
  auto [a, b] = p;
  return *a + b;
}

[[gostack::managed]] int *structuredBindingEscapes() {
  int x = 1; // expected-remark {{moved to heap: x}}
  std::pair<int *, int> p{&x, 2};
  auto [a, b] = p;
  return a;
}

// Unlike Go's maps: libstdc++'s tree nodes (in the malloc heap) point back
// at the header inside the map object, through a compiled library function
// the analysis cannot see. A heap pointer into a stack would dangle when
// the stack moves, so the map must live in the GC heap.
[[gostack::managed]] int mapLocal() {
  std::map<int, int> m; // expected-remark {{moved to heap: m}}
  m[1] = 2;
  return m[1];
}

[[gostack::managed]] int rangeOverArray() {
  std::array<int, 4> a{1, 2, 3, 4};
  int sum = 0;
  for (int v : a)
    sum += v;
  return sum;
}
