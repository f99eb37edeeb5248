// The API at a glance: run, go, channels, wait groups, systemstack, yield,
// gc, on_current_stack (goroutines_test.cpp and collector_test.cpp go deep).

#include <gostack/gostack.h>

#include <gtest/gtest.h>

#include <atomic>

namespace {

TEST(Run, ReturnsMainsResult) {
  EXPECT_EQ(gostack::run([] { return 7; }), 7);
}

TEST(Run, ReturnsZeroForVoidMain) {
  bool ran = false;
  EXPECT_EQ(gostack::run([&] { ran = true; }), 0);
  EXPECT_TRUE(ran);
}

TEST(Run, MainIsTheOneGoroutine) {
  EXPECT_EQ(gostack::num_goroutine(), 0u);
  gostack::run([] { EXPECT_EQ(gostack::num_goroutine(), 1u); });
  EXPECT_EQ(gostack::num_goroutine(), 0u);
}

TEST(Systemstack, RunsTheFunction) {
  int calls = 0;
  gostack::systemstack([&] { ++calls; });
  EXPECT_EQ(calls, 1);
}

TEST(Yield, ReturnsWithOneGoroutine) {
  EXPECT_EQ(gostack::run([] {
              gostack::yield();
              return 3;
            }),
            3);
}

TEST(Go, RunsTheGoroutineWhichAnswersOnAChannel) {
  EXPECT_EQ(gostack::run([] {
              gostack::chan<int> answer;
              gostack::go([answer]() mutable { answer.send(42); });
              return answer.recv();
            }),
            42);
}

TEST(WaitGroup, WaitsForEveryGoroutine) {
  int finished = gostack::run([] {
    gostack::wait_group wg;
    std::atomic<int> count{0};
    for (int i = 0; i < 10; ++i) {
      wg.add(1);
      gostack::go([&] {
        count++;
        wg.done();
      });
    }
    wg.wait();
    return count.load();
  });
  EXPECT_EQ(finished, 10);
}

TEST(Gc, CountsEachCollection) {
  std::uint64_t before = gostack::read_mem_stats().num_gc;
  gostack::gc();
  gostack::gc();
  EXPECT_EQ(gostack::read_mem_stats().num_gc - before, 2u);
}

TEST(OnCurrentStack, OutsideRunItIsTheThreadsStack) {
  int local = 0;
  EXPECT_TRUE(gostack::on_current_stack(&local));
  static int global = 0;
  EXPECT_FALSE(gostack::on_current_stack(&global));
}

} // namespace
