// A parked goroutine's managed frames are scanned by their stack maps too:
// a number in one that equals an object's address does not keep the object.
// (The collector gives each suspended goroutine's stack to a marker as a
// job of its own, whose frames that marker walks; stack-maps.cpp covers the
// goroutine that collects.) With one worker the goroutine is parked on the
// channel when main collects. Without maps the number keeps the object: the
// test fails when the parked stacks are not scanned by the maps. At -O0,
// where the number lives in a frame slot; not under ASan, whose fake stacks
// make every stack word by word.
// UNSUPPORTED: sanitizer
// RUN: %gostack_cxx -O0 %s -o %t %gostack_link
// RUN: env GOSTACK_MAXPROCS=1 %t | FileCheck %s --check-prefix=MAPS
// RUN: env GOSTACK_MAXPROCS=1 GOSTACK_DEBUG=stackmapsoff=1 %t | FileCheck %s --check-prefix=WORDS

#include <gostack/gostack.h>

#include <atomic>
#include <cstdint>
#include <cstdio>

std::atomic<int> destroyed{0};

struct Target {
  long value = 42;
  ~Target() { destroyed++; }
};

/// An address as a number, made outside the managed functions.
volatile std::uint64_t heapAddress;

[[gnu::noinline]] void makeTarget() {
  heapAddress = reinterpret_cast<std::uint64_t>(gostack::go_new<Target>());
}

[[gostack::managed]] [[gnu::noinline]] void
parkHolding(gostack::chan<int> *resume, gostack::wait_group *parked) {
  makeTarget();
  std::uint64_t number = heapAddress; // the only copy once cleared
  heapAddress = 0;
  parked->done();
  resume->recv();
  heapAddress = number; // live across the park
}

/// The goroutine's function: managed, as every frame must be for the maps
/// to describe a stack.
struct Body {
  gostack::chan<int> *resume;
  gostack::wait_group *parked, *finished;
  [[gostack::managed]] void operator()() const {
    parkHolding(resume, parked);
    finished->done();
  }
};

int main() {
  return gostack::run([] {
    gostack::chan<int> resume;
    gostack::wait_group parked, finished;
    parked.add(1);
    finished.add(1);
    gostack::go(Body{&resume, &parked, &finished});
    parked.wait();
    gostack::gc();
    gostack::gc();
    gostack::gc();
    std::printf("object kept by a parked goroutine's number: %s\n",
                destroyed.load() == 0 ? "yes" : "no");
    // MAPS: object kept by a parked goroutine's number: no
    // WORDS: object kept by a parked goroutine's number: yes
    resume.send(1);
    finished.wait();
    return 0;
  });
}
