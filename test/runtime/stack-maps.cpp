// With stack maps, a goroutine's managed frames are scanned and moved by
// their maps, not word by word:
//  - a number in a managed frame that equals an object's address does not
//    keep the object (a pointer does);
//  - a number that equals an address in the old stack is left as it is by
//    a move, while a pointer next to it follows the stack;
//  - native frames between managed ones still survive moves (the walk
//    gives up, and the whole stack is moved word by word).
// Without maps (no-stack-maps, or GOSTACK_DEBUG=stackmapsoff=1) the same
// program keeps the object and changes the number: the test fails when the
// maps are not used. Numbers live in frame slots at -O0 and in callee-saved
// registers at -O2, where a call into the runtime saves them in its own
// frames, scanned word by word: the collector part is checked at -O0. At
// -O2 the number may be in a callee-saved register, which the copier also
// treats word by word: there it is checked at -O0 only too.
// Under ASan the stacks are scanned word by word (its fake stacks hold the
// frame objects): nothing to test there.
// UNSUPPORTED: sanitizer
// RUN: %gostack_cxx -O0 %s -o %t.O0 %gostack_link
// RUN: %t.O0 | FileCheck %s --check-prefixes=CHECK,COLLECT
// RUN: %gostack_cxx -O2 %s -o %t.O2 %gostack_link
// RUN: %t.O2 | FileCheck %s --check-prefixes=CHECK,O2
// RUN: %gostack_cxx -O0 -fplugin-arg-gostack-no-stack-maps %s -o %t.nomaps %gostack_link
// RUN: %t.nomaps | FileCheck %s --check-prefix=WORDS
// RUN: env GOSTACK_DEBUG=stackmapsoff=1 %t.O0 | FileCheck %s --check-prefix=WORDS

#include <gostack/gostack.h>

#include <atomic>
#include <cstdint>
#include <cstdio>

std::atomic<int> destroyed{0};

struct Target {
  long value = 42;
  ~Target() { destroyed++; }
};

/// Addresses as numbers, made outside the managed functions: what these
/// read back is a number that happens to equal an address.
volatile std::uint64_t heapAddress, stackAddress;

[[gnu::noinline]] void makeTarget() {
  heapAddress = reinterpret_cast<std::uint64_t>(gostack::go_new<Target>());
}
[[gnu::noinline]] void noteAddress(GOSTACK_NOESCAPE const long *p) {
  stackAddress = reinterpret_cast<std::uint64_t>(p);
}

/// Deep enough to move a 32 KiB stack several times (about 48 bytes a
/// frame at -O2).
[[gostack::managed]] [[gnu::noinline]] long grow(long depth) {
  volatile long pad[64];
  pad[0] = depth;
  if (depth > 0)
    pad[1] = grow(depth - 1); // not a tail call, even at -O2
  return pad[0] + pad[1];
}

/// A native frame with a pointer to its own local, between managed frames.
[[gnu::noinline]] long throughNative(long depth) {
  long local = depth;
  long *self = &local;
  long result = grow(depth);
  return result + (*self == depth && self == &local ? 1 : 0);
}

[[gostack::managed]] [[gnu::noinline]] void collect() {
  makeTarget();
  std::uint64_t number = heapAddress; // the only copy once cleared
  heapAddress = 0;
  gostack::gc();
  gostack::gc();
  gostack::gc();
  std::printf("object kept by a number: %s\n",
              destroyed.load() == 0 ? "yes" : "no");
  heapAddress = number; // keep the number live across the collections
}

[[gostack::managed]] [[gnu::noinline]] void move() {
  // The number must not be in the frame's saved-register words, which the
  // copier treats word by word (docs/STACKS.md; at -O0, the saved rbp right
  // below the return address): it is below the array.
  long here[6] = {7, 8};
  long *pointer = &here[1];
  noteAddress(pointer);
  std::uint64_t number = stackAddress; // equals pointer, but is a number
  std::uint64_t moves = gostack::read_mem_stats().stack_copies;
  grow(4000);
  bool moved = gostack::read_mem_stats().stack_copies > moves;
  std::printf("moved: %s\n", moved ? "yes" : "no");
  std::printf("pointer follows: %s\n",
              pointer == &here[1] && *pointer == 8 ? "yes" : "no");
  std::printf("number unchanged: %s\n", number == stackAddress ? "yes" : "no");
}

[[gostack::managed]] [[gnu::noinline]] void native() {
  long here = 5;
  long *pointer = &here;
  long result = throughNative(4000);
  std::printf("native frames survive: %s\n",
              result > 0 && pointer == &here && *pointer == 5 ? "yes" : "no");
}

/// The goroutine's function: managed, as every frame must be for the maps
/// to describe a stack.
struct Body {
  gostack::wait_group *done;
  [[gostack::managed]] void operator()() const {
    collect();
    move();
    native();
    done->done();
  }
};

int main() {
  return gostack::run([] {
    gostack::wait_group done;
    done.add(1);
    gostack::go(Body{&done});
    done.wait();
    return 0;
  });
}

// COLLECT: object kept by a number: no
// WORDS: object kept by a number: yes
// CHECK: moved: yes
// CHECK-NEXT: pointer follows: yes
// COLLECT-NEXT: number unchanged: yes
// O2-NEXT: number unchanged:
// CHECK-NEXT: native frames survive: yes
// WORDS: moved: yes
// WORDS-NEXT: pointer follows: yes
// WORDS-NEXT: number unchanged: no
// WORDS-NEXT: native frames survive: yes
