// The collector reads an object through its type map when the plugin gave
// one: a plain integer that holds an object's address does not keep the
// object. A uintptr_t does: C++ code keeps tagged pointers in it, so the map
// treats it as a possible pointer (docs/HEAP.md). Without the plugin every
// word is scanned, and both keep their objects (conservatively).
// RUN: %gostack_cxx %s -o %t %gostack_link && %t | FileCheck %s
// RUN: %plain_cxx %s -o %t.plain %gostack_link && %t.plain \
// RUN:   | FileCheck %s --check-prefix=PLAIN

#include <gostack/gostack.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>

std::atomic<int> destroyed{0};

struct Target {
  std::uint64_t magic = 0x7a26e7;
  ~Target() { destroyed++; }
};

struct Holder {
  Target *kept;          // a pointer
  std::uint64_t number;  // an integer, whatever it holds
  std::uintptr_t tagged; // a pointer with a tag in its low bit
};

Holder *volatile holder;

int main() {
  // Made on a thread that exits: no stale copy on a live stack.
  std::thread([] {
    holder = gostack::go_new<Holder>();
    holder->kept = gostack::go_new<Target>();
    holder->number = reinterpret_cast<std::uint64_t>(gostack::go_new<Target>());
    holder->tagged =
        reinterpret_cast<std::uintptr_t>(gostack::go_new<Target>()) | 1;
  }).join();
  gostack::gc();
  gostack::gc();
  auto *untagged = reinterpret_cast<Target *>(holder->tagged & ~1ul);
  std::printf("kept alive: %s, tagged kept alive: %s\n",
              holder->kept->magic == 0x7a26e7 ? "yes" : "no",
              untagged->magic == 0x7a26e7 ? "yes" : "no");
  std::printf("destroyed: %d\n", destroyed.load());
  // CHECK: kept alive: yes, tagged kept alive: yes
  // CHECK-NEXT: destroyed: 1
  // PLAIN: kept alive: yes, tagged kept alive: yes
  // PLAIN-NEXT: destroyed: 0
}
