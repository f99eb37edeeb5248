//===-- sched/lent_addresses.cpp - Stack addresses lent out ---------------===//
//
// The record of lends (lent_addresses.h); stack_growth.cpp acts on it.
//
//===----------------------------------------------------------------------===//

#include "sched/lent_addresses.h"
#include "core/options.h"
#include "sched/goroutine.h"

#include <algorithm>
#include <cstdio>

namespace gostack {
namespace detail {

constinit thread_local stack_bounds running_stack = {0, 0};

void note_lent_address(const void *address, const char *parameter) {
  sched::Goroutine *g = sched::currentGoroutine();
  if (!g)
    return;
  static const bool stop = options::debugEnabled("lentcheck");
  if (stop) {
    char message[512];
    std::snprintf(message, sizeof message,
                  "%s: %p points into the stack of goroutine %llu: a caller "
                  "that is not managed passed the address of its own "
                  "variable to a parameter that is kept beyond the call "
                  "(GOSTACK_DEBUG=lentcheck=1)",
                  parameter, address, static_cast<unsigned long long>(g->id));
    fatal(message);
  }
  auto lent = reinterpret_cast<std::uintptr_t>(address);
  g->lends.low = g->lends.low ? std::min(g->lends.low, lent) : lent;
  g->lends.high = std::max(g->lends.high, lent);
}

} // namespace detail

namespace sched {

void setRunningStack(const Stack &stack) {
  detail::running_stack = {stack.low, stack.high};
}

} // namespace sched
} // namespace gostack
