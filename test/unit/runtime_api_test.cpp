// The parts of the API that work before the scheduler exists, and the clear
// stop of those that do not.

#include <gostack/gostack.h>

#include <gtest/gtest.h>

namespace {

using ::testing::ExitedWithCode;

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

TEST(NotImplemented, GoStopsWithAMessage) {
  EXPECT_EXIT(gostack::go([] {}), ExitedWithCode(2),
              "fatal error: gostack: go is not implemented yet");
}

TEST(NotImplemented, ChannelStopsWithAMessage) {
  EXPECT_EXIT(gostack::chan<int>(1), ExitedWithCode(2),
              "fatal error: gostack: chan is not implemented yet");
}

TEST(NotImplemented, WaitGroupStopsWithAMessage) {
  gostack::wait_group wg;
  EXPECT_EXIT(wg.add(1), ExitedWithCode(2),
              "fatal error: gostack: wait_group::add is not implemented yet");
}

TEST(Gc, CountsEachCollection) {
  std::uint64_t before = gostack::read_mem_stats().num_gc;
  gostack::gc();
  gostack::gc();
  EXPECT_EQ(gostack::read_mem_stats().num_gc - before, 2u);
}

TEST(NotImplemented, OnCurrentStackStopsWithAMessage) {
  int local = 0;
  EXPECT_EXIT(gostack::on_current_stack(&local), ExitedWithCode(2),
              "on_current_stack is not implemented yet");
}

} // namespace
