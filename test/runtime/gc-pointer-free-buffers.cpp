// The C heap is scanned, but a std::allocator<T> buffer of a pointer-free T
// is not, where the plugin compiled the allocator (Go's noscan spans): an
// address whose bytes are kept in a double does not keep its object, as in
// a go_new'd object's precise type map. Buffers whose element can hold a
// pointer -- pointers, pointer-sized integers (uintptr_t among them),
// bytes (raw storage) -- are scanned and keep every object; without the
// plugin every buffer is.
// RUN: %gostack_cxx -O1 %s -o %t %gostack_link && %t | FileCheck %s
// RUN: %plain_cxx -O1 %s -o %t.plain %gostack_link && %t.plain \
// RUN:   | FileCheck %s --check-prefix=PLAIN

#include <gostack/gostack.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

constexpr int Count = 1000;
std::atomic<int> destroyed{0};

struct Tracked {
  long payload = 7;
  ~Tracked() { destroyed.fetch_add(1); }
};

/// Objects whose addresses \p keep stores, made on another thread so that
/// no stale copy stays on this stack.
template <class Keep> void makeObjects(Keep keep) {
  std::thread([&] {
    for (int i = 0; i < Count; ++i)
      keep(gostack::go_new<Tracked>());
  }).join();
}

/// How many of the objects kept by \p keep a collection destroys.
template <class Keep> int destroyedAfterGc(Keep keep) {
  destroyed.store(0);
  makeObjects(keep);
  gostack::gc();
  gostack::gc();
  return destroyed.load();
}

const char *verdict(int count) {
  return count == 0 ? "kept all" : count > Count * 9 / 10 ? "freed most" : "?";
}

int main() {
  std::vector<double> doubles;
  std::vector<long> longs;
  std::vector<std::uintptr_t> words;
  std::vector<Tracked *> pointers;
  std::vector<char> bytes;
  doubles.reserve(Count);
  longs.reserve(Count);
  words.reserve(Count);
  pointers.reserve(Count);
  bytes.reserve(Count * sizeof(void *));
  std::printf("vector<double>: %s\n", verdict(destroyedAfterGc([&](Tracked *t) {
                double bits;
                std::memcpy(&bits, &t, sizeof bits);
                doubles.push_back(bits);
              })));
  std::printf("vector<long>: %s\n", verdict(destroyedAfterGc([&](Tracked *t) {
                longs.push_back(reinterpret_cast<long>(t));
              })));
  std::printf("vector<uintptr_t>: %s\n",
              verdict(destroyedAfterGc([&](Tracked *t) {
                words.push_back(reinterpret_cast<std::uintptr_t>(t));
              })));
  std::printf(
      "vector<Tracked *>: %s\n",
      verdict(destroyedAfterGc([&](Tracked *t) { pointers.push_back(t); })));
  std::printf("vector<char>: %s\n", verdict(destroyedAfterGc([&](Tracked *t) {
                char raw[sizeof t];
                std::memcpy(raw, &t, sizeof t);
                bytes.insert(bytes.end(), raw, raw + sizeof t);
              })));
  long sum = 0;
  for (Tracked *t : pointers)
    sum += t->payload;
  std::printf("payloads %ld\n", sum);
}

// CHECK: vector<double>: freed most
// CHECK-NEXT: vector<long>: kept all
// CHECK-NEXT: vector<uintptr_t>: kept all
// CHECK-NEXT: vector<Tracked *>: kept all
// CHECK-NEXT: vector<char>: kept all
// CHECK-NEXT: payloads 7000

// PLAIN: vector<double>: kept all
// PLAIN-NEXT: vector<long>: kept all
// PLAIN-NEXT: vector<uintptr_t>: kept all
// PLAIN-NEXT: vector<Tracked *>: kept all
// PLAIN-NEXT: vector<char>: kept all
// PLAIN-NEXT: payloads 7000
