//===-- channels_test.cpp - Channels and select ---------------------------===//
//
// Buffered and unbuffered channels, close, try_recv, a thread outside the
// runtime sending to a goroutine, and select (ready, random, waiting,
// contended).

#include <gostack/gostack.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "in_runtime.h"

namespace {

using gostack_test::inRuntime;

TEST(Channels, BufferedChannelsKeepOrderAndBlockWhenFull) {
  inRuntime([] {
    gostack::chan<std::string> c(3);
    c.send("a");
    c.send("b");
    c.send("c");
    std::atomic<bool> fourthSent{false};
    gostack::wait_group wg;
    wg.add(1);
    gostack::go([&] {
      c.send("d"); // blocks until there is room
      fourthSent = true;
      wg.done();
    });
    for (int i = 0; i < 100; ++i)
      gostack::yield();
    EXPECT_FALSE(fourthSent.load());
    EXPECT_EQ(c.recv(), "a");
    wg.wait();
    EXPECT_EQ(c.recv(), "b");
    EXPECT_EQ(c.recv(), "c");
    EXPECT_EQ(c.recv(), "d");
  });
}

TEST(Channels, ClosedChannelsDrainThenYieldTheZeroValue) {
  inRuntime([] {
    gostack::chan<int> c(2);
    c.send(1);
    c.send(2);
    c.close();
    int value = -1;
    EXPECT_TRUE(c.recv(value));
    EXPECT_EQ(value, 1);
    EXPECT_TRUE(c.try_recv(value));
    EXPECT_EQ(value, 2);
    EXPECT_FALSE(c.recv(value)); // closed and drained: zero, not ok
    EXPECT_EQ(value, 0);
    EXPECT_EQ(c.recv(), 0);
    EXPECT_FALSE(c.try_recv(value));
  });
}

TEST(Channels, CloseWakesEveryBlockedReceiver) {
  inRuntime([] {
    gostack::chan<int> c;
    gostack::wait_group wg;
    std::atomic<int> closedSeen{0};
    for (int i = 0; i < 10; ++i) {
      wg.add(1);
      gostack::go([&] {
        int value;
        if (!c.recv(value) && value == 0)
          closedSeen++;
        wg.done();
      });
    }
    for (int i = 0; i < 100; ++i)
      gostack::yield();
    c.close();
    wg.wait();
    EXPECT_EQ(closedSeen.load(), 10);
  });
}

TEST(Channels, TryRecvDoesNotBlock) {
  inRuntime([] {
    gostack::chan<int> c;
    int value = 7;
    EXPECT_FALSE(c.try_recv(value));
    EXPECT_EQ(value, 7);
  });
}

TEST(Channels, AThreadOutsideTheRuntimeCanSendToAGoroutine) {
  inRuntime([] {
    gostack::chan<int> c;
    std::thread outside([c]() mutable {
      for (int i = 1; i <= 100; ++i)
        c.send(i);
    });
    int sum = 0;
    for (int i = 0; i < 100; ++i)
      sum += c.recv();
    outside.join();
    EXPECT_EQ(sum, 5050);
  });
}

TEST(Select, TakesAReadyCaseOrTheDefault) {
  inRuntime([] {
    gostack::chan<int> a(1), b(1);
    int value = 0;
    bool ok = false;
    EXPECT_EQ(gostack::select(gostack::recv_case(a, value, &ok),
                              gostack::recv_case(b, value, &ok),
                              gostack::default_case()),
              2u);
    b.send(7);
    EXPECT_EQ(gostack::select(gostack::recv_case(a, value, &ok),
                              gostack::recv_case(b, value, &ok),
                              gostack::default_case()),
              1u);
    EXPECT_EQ(value, 7);
    EXPECT_TRUE(ok);
    // A send case proceeds when there is room.
    EXPECT_EQ(
        gostack::select(gostack::send_case(a, 5), gostack::default_case()), 0u);
    EXPECT_EQ(a.recv(), 5);
  });
}

TEST(Select, PicksAtRandomAmongReadyCases) {
  inRuntime([] {
    gostack::chan<int> a(1), b(1);
    int value, chosen[2] = {};
    for (int i = 0; i < 200; ++i) {
      a.send(1);
      b.send(2);
      ++chosen[gostack::select(gostack::recv_case(a, value),
                               gostack::recv_case(b, value))];
      // Drain the other one.
      gostack::select(gostack::recv_case(a, value),
                      gostack::recv_case(b, value));
    }
    EXPECT_GT(chosen[0], 20);
    EXPECT_GT(chosen[1], 20);
  });
}

TEST(Select, WaitsForTheFirstOfSeveralChannels) {
  inRuntime([] {
    gostack::chan<int> a, b;
    gostack::chan<std::string> words;
    gostack::go([b]() mutable { b.send(42); });
    int value = 0;
    std::string word;
    EXPECT_EQ(gostack::select(gostack::recv_case(a, value),
                              gostack::recv_case(words, word),
                              gostack::recv_case(b, value)),
              2u);
    EXPECT_EQ(value, 42);
    // A send case waits for a receiver.
    gostack::go([words]() mutable { EXPECT_EQ(words.recv(), "hello"); });
    EXPECT_EQ(gostack::select(gostack::send_case(words, std::string("hello")),
                              gostack::recv_case(a, value)),
              0u);
    // Closing a channel wakes a select waiting on it.
    gostack::go([a]() mutable { a.close(); });
    bool ok = true;
    EXPECT_EQ(gostack::select(gostack::recv_case(a, value, &ok),
                              gostack::recv_case(b, value)),
              0u);
    EXPECT_FALSE(ok);
    EXPECT_EQ(value, 0);
  });
}

TEST(Select, ManyGoroutinesSelectOnSharedChannels) {
  constexpr int Producers = 8, PerProducer = 2000, Consumers = 8;
  inRuntime([] {
    gostack::chan<long> odd, even;
    gostack::chan<long> totals(Consumers);
    gostack::wait_group producers;
    for (int p = 0; p < Producers; ++p) {
      producers.add(1);
      gostack::go([&, p]() mutable {
        for (long i = 1; i <= PerProducer; ++i)
          (i % 2 ? odd : even).send(i + p * PerProducer);
        producers.done();
      });
    }
    gostack::go([&]() mutable {
      producers.wait();
      odd.close();
      even.close();
    });
    for (int c = 0; c < Consumers; ++c)
      gostack::go([odd, even, totals]() mutable {
        long sum = 0, value = 0;
        bool oddOpen = true, evenOpen = true;
        while (oddOpen || evenOpen) {
          bool ok = false;
          std::size_t which =
              oddOpen && evenOpen
                  ? gostack::select(gostack::recv_case(odd, value, &ok),
                                    gostack::recv_case(even, value, &ok))
              : oddOpen ? (ok = odd.recv(value), 0)
                        : (ok = even.recv(value), 1);
          if (ok)
            sum += value;
          else
            (which == 0 ? oddOpen : evenOpen) = false;
        }
        totals.send(sum);
      });
    long total = 0;
    for (int c = 0; c < Consumers; ++c)
      total += totals.recv();
    long n = long(Producers) * PerProducer;
    EXPECT_EQ(total, n * (n + 1) / 2);
  });
}

} // namespace
