//===-- scheduler_death_test.cpp - Go's fatal errors ----------------------===//
//
// Deadlock, panics (an exception leaving a goroutine, a send on or second
// close of a closed channel, a negative wait group counter) and the stack
// limit: Go's messages and exit status 2, each in a child process.

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
using testing::ExitedWithCode;

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
