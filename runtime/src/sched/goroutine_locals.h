//===-- sched/goroutine_locals.h - goroutine_local's values -----*- C++ -*-===//
//
// The values of gostack::goroutine_local variables: each goroutine has a
// table of them, indexed by the variable's key, made on first use and
// destroyed when the goroutine ends; a thread running no goroutine has a
// table of its own, destroyed when the thread exits. Values and tables are
// C-heap memory, which the collector scans: a GC object a value points to
// stays alive.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_SCHED_GOROUTINE_LOCALS_H
#define GOSTACK_RUNTIME_SCHED_GOROUTINE_LOCALS_H

#include <cstddef>
#include <vector>

namespace gostack::sched {

class LocalValues {
public:
  LocalValues() = default;
  LocalValues(const LocalValues &) = delete;
  LocalValues &operator=(const LocalValues &) = delete;
  ~LocalValues() { destroyAll(); }

  /// The value of \p key, made by make(maker) if there is none yet.
  void *get(std::size_t key, void *(*make)(const void *), const void *maker,
            void (*destroy)(void *));
  /// Destroys every value, the last made first; values a destructor makes
  /// are destroyed too.
  void destroyAll();

private:
  struct Value {
    void *object = nullptr;
    void (*destroy)(void *) = nullptr;
  };
  std::vector<Value> byKey_;
  std::vector<std::size_t> madeKeys_; ///< in the order they were made
};

} // namespace gostack::sched

#endif // GOSTACK_RUNTIME_SCHED_GOROUTINE_LOCALS_H
