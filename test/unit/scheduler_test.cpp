// Goroutines, channels and wait groups: what a Go user expects of them, and
// Go's fatal errors for deadlock, panics, closed channels and stack
// overflow. Tests that need one worker (fairness, a blocking system call)
// are lit tests under test/runtime/.

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

namespace {

using testing::ExitedWithCode;

template <class F> void inRuntime(F f) {
  gostack::run([&] { f(); });
}

TEST(Goroutines, ManyPairsPingPongOverChannels) {
  constexpr int Pairs = 200, Rounds = 500;
  inRuntime([] {
    gostack::wait_group wg;
    std::atomic<long> total{0};
    for (int pair = 0; pair < Pairs; ++pair) {
      gostack::chan<int> ping, pong;
      wg.add(2);
      gostack::go([=, &wg]() mutable {
        for (int i = 0; i < Rounds; ++i)
          pong.send(ping.recv() + 1);
        wg.done();
      });
      gostack::go([=, &wg, &total]() mutable {
        int value = 0;
        for (int i = 0; i < Rounds; ++i) {
          ping.send(value);
          value = pong.recv();
        }
        total += value;
        wg.done();
      });
    }
    wg.wait();
    EXPECT_EQ(total.load(), long(Pairs) * Rounds);
  });
}

TEST(Goroutines, WorkIsSpreadOverTheWorkers) {
  if (std::thread::hardware_concurrency() < 2)
    GTEST_SKIP() << "one core: one worker";
  inRuntime([] {
    std::mutex mutex;
    std::set<std::thread::id> threads;
    gostack::wait_group wg;
    // All started from one goroutine, so on one worker's queue: others
    // must steal them.
    for (int i = 0; i < 64; ++i) {
      wg.add(1);
      gostack::go([&] {
        auto until =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(5);
        while (std::chrono::steady_clock::now() < until) {
        }
        std::lock_guard<std::mutex> lock(mutex);
        threads.insert(std::this_thread::get_id());
        wg.done();
      });
    }
    wg.wait();
    EXPECT_GE(threads.size(), 2u);
  });
}

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

TEST(Goroutines, AHundredThousandAliveAtOnce) {
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
  GTEST_SKIP() << "ThreadSanitizer maps megabytes per fiber";
#endif
#endif
  constexpr int Count = 100000;
  inRuntime([] {
    gostack::wait_group started, release;
    release.add(1);
    started.add(Count);
    std::atomic<int> finished{0};
    for (int i = 0; i < Count; ++i)
      gostack::go([&] {
        started.done();
        release.wait();
        finished++;
      });
    started.wait();
    EXPECT_GE(gostack::num_goroutine(), std::size_t(Count) + 1);
    gostack::mem_stats stats = gostack::read_mem_stats();
    EXPECT_GE(stats.stack_inuse, std::size_t(Count) * 8192);
    release.done();
    while (finished.load() < Count)
      gostack::yield();
  });
}

TEST(Goroutines, ArgumentsAreCopied) {
  inRuntime([] {
    gostack::chan<std::string> out;
    std::string text = "copied";
    gostack::go([out](std::string s) mutable { out.send(s + "!"); }, text);
    text = "changed";
    EXPECT_EQ(out.recv(), "copied!");
  });
}

struct ThrowsWhenCopied {
  ThrowsWhenCopied() = default;
  ThrowsWhenCopied(const ThrowsWhenCopied &) {
    throw std::runtime_error("no copy");
  }
};

TEST(Goroutines, ACopyThatThrowsInGoThrowsToTheCaller) {
  ThrowsWhenCopied value;
  // From a thread that is not a worker, and from a goroutine.
  EXPECT_THROW(gostack::go([](const ThrowsWhenCopied &) {}, value),
               std::runtime_error);
  inRuntime([&] {
    std::size_t before = gostack::num_goroutine();
    EXPECT_THROW(gostack::go([](const ThrowsWhenCopied &) {}, value),
                 std::runtime_error);
    EXPECT_EQ(gostack::num_goroutine(), before);
  });
}

TEST(Goroutines, OnCurrentStackKnowsTheGoroutinesStack) {
  inRuntime([] {
    int local = 0;
    EXPECT_TRUE(gostack::on_current_stack(&local));
    // Another goroutine's local, as an address only (a pointer captured by
    // a goroutine would move the local to the heap in managed code).
    gostack::chan<std::uintptr_t> theirs;
    gostack::chan<bool> done;
    gostack::go([theirs, done]() mutable {
      int other = 0;
      theirs.send(reinterpret_cast<std::uintptr_t>(&other));
      done.recv(); // keeps its stack, and other on it, until asked
    });
    std::uintptr_t address = theirs.recv();
    EXPECT_FALSE(
        gostack::on_current_stack(reinterpret_cast<const void *>(address)));
    done.send(true);
  });
  int local = 0;
  EXPECT_TRUE(gostack::on_current_stack(&local));
}

int deep(int depth) {
  volatile char frame[1024] = {};
  return depth ? deep(depth - 1) + frame[0] : 0;
}

TEST(Goroutines, SystemstackRunsDeepNativeCodeOnTheThreadsStack) {
  inRuntime([] {
    int local = 0;
    bool onGoroutineStack = true;
    gostack::systemstack([&] {
      onGoroutineStack = gostack::on_current_stack(&local) &&
                         !gostack::on_current_stack(&onGoroutineStack);
      deep(1000); // 1 MB: far more than a goroutine's stack
    });
    EXPECT_FALSE(onGoroutineStack);
  });
}

struct Tracked {
  std::uint64_t magic = 0x5ca1ab1e;
};

TEST(Goroutines, TheCollectorSeesParkedGoroutinesAndClosures) {
  inRuntime([] {
    gostack::chan<int> wake, done;
    for (int i = 0; i < 8; ++i) {
      // The only references: a parked goroutine's frame, and a closure.
      gostack::go([wake, done]() mutable {
        Tracked *volatile mine = gostack::go_new<Tracked>();
        wake.recv();
        done.send(mine->magic == 0x5ca1ab1e);
      });
      Tracked *captured = gostack::go_new<Tracked>();
      gostack::go([captured, wake, done]() mutable {
        wake.recv();
        done.send(captured->magic == 0x5ca1ab1e);
      });
    }
    for (int i = 0; i < 3; ++i)
      gostack::gc();
    // Garbage of every small size in between, so that anything freed is
    // reused and overwritten.
    for (int i = 0; i < 200000; ++i)
      std::memset(
          gostack::detail::gc_alloc(8 * (1 + i % 32), 8, nullptr, nullptr),
          0xff, 8 * (1 + i % 32));
    gostack::gc();
    int intact = 0;
    for (int i = 0; i < 16; ++i)
      wake.send(0);
    for (int i = 0; i < 16; ++i)
      intact += done.recv();
    EXPECT_EQ(intact, 16);
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

class SchedulerDeathTest : public testing::Test {
protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(SchedulerDeathTest, DeadlockIsGosFatalError) {
  EXPECT_EXIT(inRuntime([] {
                gostack::chan<int> never;
                never.recv();
              }),
              ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!");
}

TEST_F(SchedulerDeathTest, AnExceptionLeavingAGoroutineNamesIt) {
  EXPECT_EXIT(inRuntime([] {
                gostack::wait_group wg;
                wg.add(1);
                gostack::go([] { throw std::runtime_error("boom"); });
                wg.wait();
              }),
              ExitedWithCode(2),
              "panic: uncaught exception std::runtime_error: boom\n\n"
              "goroutine [0-9]+ \\[running\\]");
}

TEST_F(SchedulerDeathTest, SendingOnAClosedChannelPanics) {
  EXPECT_EXIT(inRuntime([] {
                gostack::chan<int> c(1);
                c.close();
                c.send(1);
              }),
              ExitedWithCode(2), "panic: send on closed channel");
}

TEST_F(SchedulerDeathTest, ClosingTwicePanics) {
  EXPECT_EXIT(inRuntime([] {
                gostack::chan<int> c;
                c.close();
                c.close();
              }),
              ExitedWithCode(2), "panic: close of closed channel");
}

TEST_F(SchedulerDeathTest, ANegativeWaitGroupCounterPanics) {
  EXPECT_EXIT(inRuntime([] {
                gostack::wait_group wg;
                wg.done();
              }),
              ExitedWithCode(2), "panic: sync: negative WaitGroup counter");
}

TEST_F(SchedulerDeathTest, RecursingPastTheStackLimitDiesLoudly) {
  // Growing to 1 GiB moves the whole stack at every call under stackmove:
  // hours. test/runtime/stack-limit.cpp covers the limit in that run too.
  const char *debug = std::getenv("GOSTACK_DEBUG");
  if (debug && std::strstr(debug, "stackmove=1"))
    GTEST_SKIP() << "quadratic under GOSTACK_DEBUG=stackmove=1";
  EXPECT_EXIT(inRuntime([] { deep(2000000); }), ExitedWithCode(2),
              "runtime: goroutine [0-9]+ stack exceeds 1073741824-byte "
              "limit\nfatal error: stack overflow");
}

} // namespace
