// Goroutine benchmarks with one implementation chosen on the command line,
// so that scripts/bench.sh goroutines runs every peer from one source:
// gostack (goroutines on its M:N scheduler) and boost (Boost.Fiber, its
// default round-robin scheduler on one thread). goroutines.go is Go's.
//
//   bench-goroutines gostack|boost skynet|spawn|pingpong
//
// skynet    1M goroutines as a tree of 10, each leaf sends its number,
//           each parent the sum of its children's (unbuffered channels)
// spawn     start 1M goroutines that do nothing, wait for all
// pingpong  1M round trips between two goroutines over unbuffered channels
//
// Prints "NAME: N ns/op" (op: a goroutine, or a round trip) and a check.

#include <gostack/gostack.h>

#include <boost/fiber/all.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr long Million = 1000000;

using Clock = std::chrono::steady_clock;

void report(const char *name, Clock::time_point start, long ops, long check) {
  double ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  std::printf("%s: %.1f ns/op (check %ld)\n", name, ns / ops, check);
}

/// The two sides of the ping-pong, for any channel type: \p send and
/// \p receive adapt its operations.
template <class Channel, class Send, class Receive>
void echo(Channel &in, Channel &out, Send send, Receive receive) {
  for (long i = 0; i < Million; ++i)
    send(out, receive(in) + 1);
}

template <class Channel, class Send, class Receive>
long serve(Channel &out, Channel &in, Send send, Receive receive) {
  long value = 0;
  for (long i = 0; i < Million; ++i) {
    send(out, value);
    value = receive(in);
  }
  return value;
}

namespace onGostack {

// Managed: goroutines start on small stacks that grow (docs/STACKS.md).
[[gostack::managed]] void send(gostack::chan<long> &c, long v) { c.send(v); }
[[gostack::managed]] long receive(gostack::chan<long> &c) { return c.recv(); }

[[gostack::managed]] void skynet(gostack::chan<long> out, long num, long size,
                                 long div) {
  if (size == 1) {
    out.send(num);
    return;
  }
  gostack::chan<long> results;
  for (long i = 0; i < div; ++i)
    gostack::go(skynet, results, num + i * (size / div), size / div, div);
  long sum = 0;
  for (long i = 0; i < div; ++i)
    sum += results.recv();
  out.send(sum);
}

[[gostack::managed]] void run(const std::string &benchmark) {
  gostack::run([&] {
    Clock::time_point start = Clock::now();
    if (benchmark == "skynet") {
      gostack::chan<long> out;
      gostack::go(skynet, out, 0L, Million, 10L);
      report("skynet", start, Million, out.recv());
    } else if (benchmark == "spawn") {
      gostack::wait_group wg;
      wg.add(Million);
      for (long i = 0; i < Million; ++i)
        gostack::go([&wg] { wg.done(); });
      wg.wait();
      report("spawn", start, Million, Million);
    } else if (benchmark == "pingpong") {
      gostack::chan<long> ping, pong;
      gostack::go([ping, pong]() mutable { echo(ping, pong, send, receive); });
      report("pingpong", start, Million, serve(ping, pong, send, receive));
    }
  });
}

} // namespace onGostack

namespace onBoost {

using Channel = boost::fibers::unbuffered_channel<long>;

void send(Channel &c, long v) { c.push(v); }
long receive(Channel &c) { return c.value_pop(); }

// As Boost.Fiber's own skynet example: children start at once (dispatch).
void skynet(Channel &out, long num, long size, long div) {
  if (size == 1) {
    out.push(num);
    return;
  }
  Channel results;
  for (long i = 0; i < div; ++i)
    boost::fibers::fiber(boost::fibers::launch::dispatch, skynet,
                         std::ref(results), num + i * (size / div), size / div,
                         div)
        .detach();
  long sum = 0;
  for (long i = 0; i < div; ++i)
    sum += results.value_pop();
  out.push(sum);
}

void run(const std::string &benchmark) {
  Clock::time_point start = Clock::now();
  if (benchmark == "skynet") {
    Channel out;
    boost::fibers::fiber(skynet, std::ref(out), 0L, Million, 10L).detach();
    report("skynet", start, Million, out.value_pop());
  } else if (benchmark == "spawn") {
    std::vector<boost::fibers::fiber> fibers;
    fibers.reserve(Million);
    for (long i = 0; i < Million; ++i)
      fibers.emplace_back([] {});
    for (boost::fibers::fiber &fiber : fibers)
      fiber.join();
    report("spawn", start, Million, Million);
  } else if (benchmark == "pingpong") {
    Channel ping, pong;
    boost::fibers::fiber partner([&] { echo(ping, pong, send, receive); });
    long value = serve(ping, pong, send, receive);
    partner.join();
    report("pingpong", start, Million, value);
  }
}

} // namespace onBoost

} // namespace

int main(int argc, char **argv) {
  if (argc != 3 ||
      (std::strcmp(argv[1], "gostack") && std::strcmp(argv[1], "boost"))) {
    std::fprintf(stderr, "usage: %s gostack|boost skynet|spawn|pingpong\n",
                 argv[0]);
    return 2;
  }
  if (!std::strcmp(argv[1], "gostack"))
    onGostack::run(argv[2]);
  else
    onBoost::run(argv[2]);
}
