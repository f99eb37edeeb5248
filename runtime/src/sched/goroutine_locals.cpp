//===-- sched/goroutine_locals.cpp - goroutine_local's values -------------===//

#include "sched/goroutine_locals.h"
#include "sched/scheduler.h"

#include <gostack/gostack.h>

#include <atomic>

namespace gostack::sched {

void *LocalValues::get(std::size_t key, void *(*make)(const void *),
                       const void *maker, void (*destroy)(void *)) {
  if (key < byKey_.size() && byKey_[key].object)
    return byKey_[key].object;
  // make() may itself use goroutine_locals: the tables change under it.
  void *object = make(maker);
  if (key >= byKey_.size())
    byKey_.resize(key + 1);
  byKey_[key] = {object, destroy};
  madeKeys_.push_back(key);
  return object;
}

void LocalValues::destroyAll() {
  while (!madeKeys_.empty()) {
    std::size_t key = madeKeys_.back();
    madeKeys_.pop_back();
    Value value = byKey_[key];
    byKey_[key] = {};
    value.destroy(value.object);
  }
}

} // namespace gostack::sched

namespace gostack::detail {

std::size_t goroutine_local_key() {
  static std::atomic<std::size_t> next{0};
  return next.fetch_add(1, std::memory_order_relaxed);
}

void *goroutine_local_get(std::size_t key, void *(*make)(const void *),
                          GOSTACK_NOESCAPE const void *maker,
                          void (*destroy)(void *)) {
  if (sched::Goroutine *g = sched::currentGoroutine())
    return g->locals.get(key, make, maker, destroy);
  static thread_local sched::LocalValues threadValues;
  return threadValues.get(key, make, maker, destroy);
}

} // namespace gostack::detail
