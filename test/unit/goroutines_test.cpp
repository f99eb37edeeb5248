//===-- goroutines_test.cpp - Goroutines as Go users expect ---------------===//
//
// go, run, arguments, systemstack, on_current_stack, work stealing and the
// collector's view of parked goroutines. Tests that need one worker
// (fairness, a blocking system call) are lit tests under test/runtime/.

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

using gostack_test::deep;
using gostack_test::inRuntime;

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

} // namespace
