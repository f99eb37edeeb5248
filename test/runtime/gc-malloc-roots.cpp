// The collector never frees an object while memory the program can read
// holds its address -- memory from malloc and new included (CONTRACT
// section 7): a GC object reached only from a std::vector's buffer, a
// std::map's nodes, a std::function, a coroutine frame, a realloc'd block,
// thread-local storage or a small vector's inline byte storage survives
// every collection. Each object's value is checked after the collections,
// with fresh objects allocated meanwhile to reuse freed memory.
// RUN: %gostack_cxx -O2 %s -o %t %gostack_link
// RUN: %t | FileCheck %s --check-prefixes=CHECK,PLUGIN
// RUN: %plain_cxx -O2 %s -o %t.plain %gostack_link
// RUN: %t.plain | FileCheck %s --check-prefixes=CHECK,PLAIN

#include <gostack/gostack.h>

#include <atomic>
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <new>
#include <thread>
#include <vector>

struct Node {
  long value;
  std::vector<Node *> children;
};

/// Allocates and drops garbage, so that freed memory would be reused.
void churn() {
  for (int i = 0; i < 20000; ++i)
    gostack::go_new<Node>()->value = -1;
  gostack::gc();
  gostack::gc();
}

// Each builder runs on a thread of its own, which exits: no stale copy of a
// pointer stays on a stack the collector scans.
template <class F> void onThread(F f) { std::thread(f).join(); }

std::vector<long *> *vectorOfPointers;
std::map<int, long *> *mapOfPointers;
std::function<long()> *function;
void **reallocated;

// Plain C++: the plugin moves `a` to the GC heap (its address goes into
// new'd memory); the vector's buffer is then the only place naming it.
GOSTACK_MANAGED void intoVector() {
  long a = 101;
  vectorOfPointers = new std::vector<long *>;
  vectorOfPointers->push_back(&a);
  vectorOfPointers->push_back(gostack::go_new<long>(102));
}

GOSTACK_MANAGED void intoMap() {
  mapOfPointers = new std::map<int, long *>;
  for (int i = 0; i < 100; ++i)
    (*mapOfPointers)[i] = gostack::go_new<long>(1000 + i);
}

GOSTACK_MANAGED void intoFunction() {
  long *captured = gostack::go_new<long>(201);
  function = new std::function<long()>([captured] { return *captured; });
}

Node *tree(int depth) {
  Node *node = gostack::go_new<Node>();
  node->value = depth;
  if (depth > 0)
    for (int i = 0; i < 3; ++i)
      node->children.push_back(tree(depth - 1));
  return node;
}
long sum(const Node *node) {
  long total = node->value;
  for (const Node *child : node->children)
    total += sum(child);
  return total;
}
Node *root;

struct Task {
  struct promise_type {
    Task get_return_object() {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::abort(); }
  };
  std::coroutine_handle<promise_type> handle;
};
// The coroutine frame (operator new'd) holds the only pointer while it is
// suspended.
Task coroutine(long *&out) {
  long *kept = gostack::go_new<long>(301);
  co_await std::suspend_always{};
  out = kept;
}
Task *suspended;
long *coroutineResult;

thread_local long *threadLocal;
[[gnu::noinline]] void setThreadLocal(long value) {
  threadLocal = gostack::go_new<long>(value);
}

struct SmallVector {
  alignas(void *) unsigned char storage[4 * sizeof(void *)];
  void *&at(int i) { return reinterpret_cast<void **>(storage)[i]; }
};
SmallVector *smallVector;

int main() {
  onThread(intoVector);
  onThread(intoMap);
  onThread(intoFunction);
  onThread([] { root = tree(6); });
  onThread([] {
    suspended = new Task(coroutine(coroutineResult));
    suspended->handle.resume();
  });
  onThread([] {
    // realloc moves the block holding the only pointer.
    reallocated = static_cast<void **>(std::malloc(sizeof(void *)));
    reallocated[0] = gostack::go_new<long>(401);
    reallocated =
        static_cast<void **>(std::realloc(reallocated, 4096 * sizeof(void *)));
  });
  onThread([] {
    smallVector = new SmallVector;
    smallVector->at(2) = gostack::go_new<long>(601);
  });
  // Thread-local storage: the main thread's only pointer is its TLS while
  // another thread collects; another thread's likewise, while it waits.
  setThreadLocal(501);
  std::atomic<int> step{0};
  long workerValue = 0;
  std::thread worker([&] {
    setThreadLocal(701);
    step = 1;
    while (step != 2)
      std::this_thread::yield();
    workerValue = *threadLocal;
  });
  while (step != 1)
    std::this_thread::yield();
  onThread(churn);
  step = 2;
  worker.join();

  std::printf("vector: %ld %ld\n", *(*vectorOfPointers)[0],
              *(*vectorOfPointers)[1]);
  // Without the plugin `a` is a stack variable, dangling after its scope.
  // PLUGIN: vector: 101 102
  // PLAIN: vector: {{-?[0-9]+}} 102
  long mapSum = 0;
  for (auto &[key, value] : *mapOfPointers)
    mapSum += *value - key;
  std::printf("map: %ld\n", mapSum);
  // CHECK: map: 100000
  std::printf("function: %ld\n", (*function)());
  // CHECK: function: 201
  std::printf("tree: %ld\n", sum(root));
  // 3^k nodes of value 6-k: the sum of (6-k)*3^k over k.
  // CHECK: tree: 543
  suspended->handle.resume();
  std::printf("coroutine: %ld\n", *coroutineResult);
  // CHECK: coroutine: 301
  std::printf("realloc: %ld\n", *static_cast<long *>(reallocated[0]));
  // CHECK: realloc: 401
  std::printf("thread-local storage: main %ld, another thread %ld\n",
              *threadLocal, workerValue);
  // CHECK: thread-local storage: main 501, another thread 701
  std::printf("byte storage: %ld\n", *static_cast<long *>(smallVector->at(2)));
  // CHECK: byte storage: 601
}
