// The exceptions a goroutine is handling are its own: it may park, yield or
// move its stack inside a catch block, or in a destructor run by unwinding,
// and come back on another worker -- `throw;`, std::current_exception,
// std::uncaught_exceptions and the caught object still name its exception,
// never another goroutine's (docs/SCHEDULER.md, "C++ runtime state").
// RUN: %gostack_cxx -fplugin-arg-gostack-managed=all -O2 %s -o %t %gostack_link
// RUN: env GOSTACK_MAXPROCS=1 %t | FileCheck %s
// RUN: env GOSTACK_MAXPROCS=4 %t | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

constexpr int Goroutines = 64;
constexpr int Rounds = 20;

struct Tagged : std::runtime_error {
  int id;
  explicit Tagged(int id)
      : std::runtime_error("goroutine " + std::to_string(id)), id(id) {}
};

std::atomic<int> wrong{0};

void expect(bool right) {
  if (!right)
    wrong.fetch_add(1, std::memory_order_relaxed);
}

/// Enough frames that the stack grows (and, under stackmove, moves).
[[gnu::noinline]] long deep(long depth) {
  volatile char frame[512];
  frame[0] = static_cast<char>(depth);
  return depth ? deep(depth - 1) + frame[0] : 0;
}

int idOf(const std::exception_ptr &error) {
  try {
    std::rethrow_exception(error);
  } catch (const Tagged &tagged) {
    return tagged.id;
  } catch (...) {
    return -1;
  }
}

/// In a catch block: park on a channel, yield, grow the stack, then check
/// that the exception being handled is still this goroutine's.
void rethrowAfterSwitches(int id, gostack::chan<int> &turns) {
  try {
    throw Tagged(id);
  } catch (const Tagged &caught) {
    std::string before = caught.what();
    turns.send(id);
    gostack::yield();
    deep(200);
    expect(caught.what() == before && caught.id == id);
    expect(idOf(std::current_exception()) == id);
    try {
      throw; // the exception being handled: this goroutine's
    } catch (const Tagged &again) {
      expect(&again == &caught);
    }
  }
}

/// A catch inside a catch, each across switches: the inner one ends and the
/// outer one is current again.
void nestedAcrossSwitches(int id) {
  try {
    throw Tagged(id);
  } catch (const Tagged &outer) {
    gostack::yield();
    try {
      throw Tagged(id + 1000);
    } catch (const Tagged &inner) {
      gostack::yield();
      deep(200);
      expect(idOf(std::current_exception()) == id + 1000);
    }
    gostack::yield();
    expect(idOf(std::current_exception()) == id && outer.id == id);
  }
  expect(!std::current_exception());
}

/// A destructor run by unwinding that yields: the exception is in flight on
/// this goroutine only.
struct YieldsWhileUnwinding {
  int id;
  ~YieldsWhileUnwinding() {
    int before = std::uncaught_exceptions();
    gostack::yield();
    deep(100);
    expect(before == 1 && std::uncaught_exceptions() == 1);
  }
};

void unwindAcrossSwitches(int id) {
  try {
    YieldsWhileUnwinding guard{id};
    throw Tagged(id);
  } catch (const Tagged &caught) {
    expect(caught.id == id && std::uncaught_exceptions() == 0);
  }
}

int main() {
  return gostack::run([] {
    gostack::chan<int> turns(Goroutines * Rounds);
    gostack::chan<int> done;
    for (int id = 0; id < Goroutines; ++id)
      gostack::go([id, turns, done]() mutable {
        for (int round = 0; round < Rounds; ++round) {
          rethrowAfterSwitches(id, turns);
          nestedAcrossSwitches(id);
          unwindAcrossSwitches(id);
          // Between handlers the goroutine has no exception.
          expect(!std::current_exception() && !std::uncaught_exceptions());
        }
        done.send(1);
      });
    for (int id = 0; id < Goroutines; ++id)
      done.recv();
    std::printf("exceptions: %d goroutines, %d wrong\n", Goroutines,
                wrong.load());
    // CHECK: exceptions: 64 goroutines, 0 wrong
    return 0;
  });
}
