// Stack benchmarks with one implementation chosen on the command line, so
// that scripts/bench.sh stacks runs every peer from one source: gostack
// (small stacks that grow by copying) and, for parked, boost
// (Boost.Context fibers on its default stacks). stacks.go is Go's.
//
//   bench-stacks gostack parked N      N goroutines blocked on a channel
//   bench-stacks boost parked N        N suspended Boost.Context fibers
//   bench-stacks gostack growth KIB    a new goroutine recurses through KIB
//                                      KiB of frames and returns, 2000 times
//   bench-stacks gostack fib N         fib(N) by recursion in a goroutine:
//                                      managed (prologue checks) and the same
//                                      code unmanaged (stacks_unchecked.cpp)
//
// Prints "NAME: VALUE UNIT (check C)".

#include "stacks_fib.h"

#include <gostack/gostack.h>

#include <boost/context/fiber.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Resident bytes of this process now.
long residentBytes() {
  long pages = 0, resident = 0;
  if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    std::fclose(statm);
  }
  return resident * sysconf(_SC_PAGESIZE);
}

void report(const char *name, double value, const char *unit, long check) {
  std::printf("%s: %.1f %s (check %ld)\n", name, value, unit, check);
}

[[gostack::managed]] int gostackParked(long count) {
  gostack::chan<int> never(0);
  gostack::wait_group started;
  started.add(count);
  long before = residentBytes();
  for (long i = 0; i < count; ++i)
    gostack::go([&] {
      started.done();
      never.recv();
    });
  started.wait();
  // Let the workers park the last goroutines started.
  usleep(100000);
  long perGoroutine = (residentBytes() - before) / count;
  report("parked", static_cast<double>(perGoroutine), "bytes/goroutine", count);
  std::fflush(stdout);
  std::_Exit(0); // the parked goroutines are left as they are
}

int boostParked(long count) {
  namespace ctx = boost::context;
  std::vector<ctx::fiber> fibers;
  fibers.reserve(count);
  long before = residentBytes();
  for (long i = 0; i < count; ++i) {
    ctx::fiber fiber([](ctx::fiber &&caller) {
      // Suspended here, as a goroutine blocked in a receive.
      caller = std::move(caller).resume();
      return std::move(caller);
    });
    fibers.push_back(std::move(fiber).resume());
  }
  long perFiber = (residentBytes() - before) / count;
  report("parked", static_cast<double>(perFiber), "bytes/goroutine", count);
  std::fflush(stdout);
  std::_Exit(0);
}

/// A frame of 128 bytes that stays on the stack.
[[gostack::managed]] [[gnu::noinline]] long recurse(long depth) {
  volatile long frame[14]; // indexed by a variable: all of it stays
  frame[depth % 14] = depth;
  return depth ? recurse(depth - 1) + frame[depth % 14] : 0;
}

[[gostack::managed]] int gostackGrowth(long kib) {
  constexpr int Runs = 2000;
  long depth = kib * 1024 / 128;
  long check = 0;
  Clock::time_point start = Clock::now();
  for (int run = 0; run < Runs; ++run) {
    gostack::wait_group done;
    done.add(1);
    gostack::go([&] {
      check = recurse(depth);
      done.done();
    });
    done.wait();
  }
  report("growth", secondsSince(start) * 1e9 / Runs, "ns/goroutine", check);
  return 0;
}

[[gostack::managed]] int gostackFib(long n) {
  long checked = 0, unchecked = 0;
  double checkedSeconds = 1e9, uncheckedSeconds = 1e9;
  gostack::wait_group done;
  done.add(1);
  gostack::go([&] {
    // Alternate, best of five each: the machine's noise hits both alike.
    for (int round = 0; round < 5; ++round) {
      Clock::time_point start = Clock::now();
      checked = fibChecked(n);
      checkedSeconds = std::min(checkedSeconds, secondsSince(start));
      start = Clock::now();
      unchecked = fibUnchecked(n);
      uncheckedSeconds = std::min(uncheckedSeconds, secondsSince(start));
    }
    done.done();
  });
  done.wait();
  report("fib-checked", checkedSeconds * 1e3, "ms", checked);
  report("fib-unchecked", uncheckedSeconds * 1e3, "ms", unchecked);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s gostack|boost parked|growth|fib N\n",
                 argv[0]);
    return 2;
  }
  bool boost = !std::strcmp(argv[1], "boost");
  const char *benchmark = argv[2];
  long n = std::atol(argv[3]);
  if (boost && !std::strcmp(benchmark, "parked"))
    return boostParked(n);
  if (!std::strcmp(benchmark, "parked"))
    return gostack::run([n] { return gostackParked(n); });
  if (!std::strcmp(benchmark, "growth"))
    return gostack::run([n] { return gostackGrowth(n); });
  if (!std::strcmp(benchmark, "fib"))
    return gostack::run([n] { return gostackFib(n); });
  std::fprintf(stderr, "unknown benchmark %s\n", benchmark);
  return 2;
}
