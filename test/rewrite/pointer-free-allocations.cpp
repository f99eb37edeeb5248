// std::allocator<T> (libstdc++'s __new_allocator<T>::allocate) of a
// pointer-free T calls gostack::detail::operator_new_pointer_free, whose
// blocks the collector does not scan; every other T keeps ::operator new:
// pointers, pointer-sized integers (uintptr_t is one), bytes, unions and
// records with any of those. Without the plugin nothing changes.
// RUN: %gostack_cxx -O0 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %plain_cxx -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=PLAIN

#include <cstdint>
#include <string>
#include <vector>

struct Point {
  int x;
  float y;
  double z[2];
};
struct Tagged {
  std::uintptr_t word;
};
union Either {
  int number;
  void *pointer;
};

template <class T> std::size_t use() { return std::vector<T>(4).size(); }

int main() {
  return int(use<int>() + use<double>() + use<Point>() + use<short>() +
             use<long>() + use<std::uintptr_t>() + use<char>() +
             use<unsigned char>() + use<int *>() + use<Tagged>() +
             use<Either>() + use<std::string>());
}

// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorIiE8allocateEmPKv(
// CHECK: call {{.*}} @_ZN7gostack6detail25operator_new_pointer_freeEm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorIdE8allocateEmPKv(
// CHECK: call {{.*}} @_ZN7gostack6detail25operator_new_pointer_freeEm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorI5PointE8allocateEmPKv(
// CHECK: call {{.*}} @_ZN7gostack6detail25operator_new_pointer_freeEm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorIsE8allocateEmPKv(
// CHECK: call {{.*}} @_ZN7gostack6detail25operator_new_pointer_freeEm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorIlE8allocateEmPKv(
// CHECK: call {{.*}} @_Znwm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorImE8allocateEmPKv(
// CHECK: call {{.*}} @_Znwm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorIcE8allocateEmPKv(
// CHECK: call {{.*}} @_Znwm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorIhE8allocateEmPKv(
// CHECK: call {{.*}} @_Znwm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorIPiE8allocateEmPKv(
// CHECK: call {{.*}} @_Znwm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorI6TaggedE8allocateEmPKv(
// CHECK: call {{.*}} @_Znwm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorI6EitherE8allocateEmPKv(
// CHECK: call {{.*}} @_Znwm(
// CHECK-LABEL: define {{.*}} @_ZNSt15__new_allocatorINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEE8allocateEmPKv(
// CHECK: call {{.*}} @_Znwm(

// PLAIN-NOT: operator_new_pointer_free
