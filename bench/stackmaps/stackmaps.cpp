//===-- stackmaps.cpp - What the stack maps cost and save -----------------===//
//
// Measures, in one program built with the plugin, what compare.py runs with
// and without GOSTACK_DEBUG=stackmapsoff=1 (precise against word by word):
//   scan N       the pause of a collection with N goroutines parked in a
//                chain of managed frames (best of 5 collections)
//   move BYTES   one stack move with BYTES of stack in use: a goroutine
//                recurses that deep, then calls a managed function 200
//                times under GOSTACK_DEBUG=stackmove=1 (each call moves)
//   fib          fib(38) built with stack maps and without (no-stack-maps)
// Each prints "NAME: VALUE UNIT (check C)".
//
//   stackmaps scan 100000 | stackmaps move 65536 | stackmaps fib
//
//===----------------------------------------------------------------------===//

#include "stackmaps_fib.h"

#include <gostack/gostack.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

double nanosecondsSince(std::chrono::steady_clock::time_point begin) {
  return std::chrono::duration<double, std::nano>(
             std::chrono::steady_clock::now() - begin)
      .count();
}

/// A few managed frames, each with a pointer and a number live across the
/// call below it; the innermost parks on a channel.
[[gostack::managed]] [[gnu::noinline]] long
parkedChain(int depth, gostack::chan<int> *wake, long *counter) {
  long number = depth * 7919;
  if (depth == 0) {
    int value = 0;
    wake->recv(value);
    return value + number;
  }
  long result = parkedChain(depth - 1, wake, counter);
  *counter += 1;
  return result + number;
}

struct Parked {
  gostack::chan<int> *wake;
  gostack::wait_group *done;
  long *counter;
  [[gostack::managed]] void operator()() const {
    parkedChain(4, wake, counter);
    done->done();
  }
};

void scan(long goroutines) {
  gostack::run([&] {
    gostack::chan<int> wake;
    gostack::wait_group done;
    std::vector<long> counters(goroutines);
    done.add(static_cast<int>(goroutines));
    for (long i = 0; i < goroutines; ++i)
      gostack::go(Parked{&wake, &done, &counters[i]});
    while (gostack::num_goroutine() < std::size_t(goroutines) + 1)
      gostack::yield();
    double best = 1e300;
    for (int i = 0; i < 5; ++i) {
      gostack::gc();
      best = std::min(best, double(gostack::read_mem_stats().last_pause_ns));
    }
    for (long i = 0; i < goroutines; ++i)
      wake.send(1);
    done.wait();
    std::printf("scan: %.0f ns (check %ld)\n", best, goroutines);
  });
}

/// Has a frame, so it has a stack check (a frameless leaf has none).
[[gostack::managed]] [[gnu::noinline]] long checked(long x) {
  volatile long frame[4];
  frame[0] = x;
  return frame[0] + 1;
}

/// Recurses until \p bytes of stack are in use, then times calls of a
/// managed function, each of which moves the stack under stackmove.
[[gostack::managed]] [[gnu::noinline]] long deep(long bytes, long *pointer,
                                                 double *perMove) {
  volatile char frame[240];
  frame[0] = 1;
  if (bytes > 256)
    return deep(bytes - 256, pointer, perMove) + frame[0];
  constexpr int Calls = 200;
  auto begin = std::chrono::steady_clock::now();
  long sum = 0;
  for (int i = 0; i < Calls; ++i)
    sum += checked(*pointer);
  *perMove = nanosecondsSince(begin) / Calls;
  return sum + frame[0];
}

struct Mover {
  long bytes;
  double *perMove;
  long *check;
  gostack::wait_group *done;
  [[gostack::managed]] void operator()() const {
    long local = 1;
    *check = deep(bytes, &local, perMove);
    done->done();
  }
};

void move(long bytes) {
  gostack::run([&] {
    double perMove = 0;
    long check = 0;
    gostack::wait_group done;
    done.add(1);
    gostack::go(Mover{bytes, &perMove, &check, &done});
    done.wait();
    std::printf("move: %.0f ns (check %ld)\n", perMove, check);
  });
}

void fib() {
  struct Variant {
    const char *name;
    long (*function)(long);
  };
  for (auto [name, function] :
       {Variant{"fib-maps", fibWithMaps}, Variant{"fib-nomaps", fibNoMaps}}) {
    double best = 1e300;
    long result = 0;
    for (int run = 0; run < 3; ++run) {
      auto begin = std::chrono::steady_clock::now();
      result = function(38);
      best = std::min(best, nanosecondsSince(begin) / 1e6);
    }
    std::printf("%s: %.1f ms (check %ld)\n", name, best, result);
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 3 && !std::strcmp(argv[1], "scan"))
    scan(std::atol(argv[2]));
  else if (argc == 3 && !std::strcmp(argv[1], "move"))
    move(std::atol(argv[2]));
  else if (argc == 2 && !std::strcmp(argv[1], "fib"))
    fib();
  else {
    std::fprintf(stderr, "usage: %s scan N | move BYTES | fib\n", argv[0]);
    return 2;
  }
  return 0;
}
