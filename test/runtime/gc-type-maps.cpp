// The collector reads an object through its type map when the plugin gave
// one: an integer that holds an object's address does not keep the object.
// Without the plugin the same object is scanned word by word, and the
// integer keeps it (conservatively).
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

/// One word the map calls a pointer, one it calls an integer.
struct Holder {
  Target *kept;
  std::uintptr_t disguised;
};

Holder *volatile holder;

int main() {
  // Made on a thread that exits: no stale copy on a live stack.
  std::thread([] {
    holder = gostack::go_new<Holder>();
    holder->kept = gostack::go_new<Target>();
    holder->disguised =
        reinterpret_cast<std::uintptr_t>(gostack::go_new<Target>());
  }).join();
  gostack::gc();
  gostack::gc();
  std::printf("kept alive: %s\n",
              holder->kept->magic == 0x7a26e7 ? "yes" : "no");
  std::printf("destroyed: %d\n", destroyed.load());
  // CHECK: kept alive: yes
  // CHECK-NEXT: destroyed: 1
  // PLAIN: kept alive: yes
  // PLAIN-NEXT: destroyed: 0
}
