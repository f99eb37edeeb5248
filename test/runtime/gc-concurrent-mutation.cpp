// The collector marks while the program runs: goroutines and native threads
// rewire a large linked graph -- moving the only pointer to a subgraph from
// a C-heap table into a GC object and back, from one thread's stack into a
// malloc'd block -- while collections run. Every node reached is checked:
// its destructor (run only for unreachable nodes) poisons it, and a node
// freed and reused would hold another id. gccheckmark=1 also marks from
// scratch at the end of every concurrent cycle and stops the process if
// that finds a reachable object the concurrent marking missed; with the
// collector marking on the world stopped (gcstoptheworld=1), the same values.
// GOSTACK_MAXPROCS=8 marks on 8 threads in the stops and on 2 while the
// program runs (mark_team.h), whatever the machine's cores. The workers
// mark with each collection in proportion to what they allocate (assists):
// a large tree, rebuilt now and then, gives them wide marking work to take
// and, leaving early, to give back.
// RUN: %gostack_cxx -O2 %s -o %t %gostack_link
// RUN: env GOSTACK_GC=25 %t | FileCheck %s
// RUN: %if write-watch %{ env GOSTACK_GC=25 GOSTACK_DEBUG=gccheckmark=1 %t | FileCheck %s %}
// RUN: %if write-watch %{ env GOSTACK_GC=25 GOSTACK_MAXPROCS=8 GOSTACK_DEBUG=gccheckmark=1 %t | FileCheck %s %}
// RUN: env GOSTACK_GC=25 GOSTACK_DEBUG=gcstoptheworld=1 %t | FileCheck %s
// RUN: env GOSTACK_GC=25 GOSTACK_MAXPROCS=8 GOSTACK_DEBUG=gcstoptheworld=1 %t | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

constexpr std::uint64_t Alive = 0x600d600d600d600d, Dead = 0xdeaddeaddeaddead;
constexpr int Workers = 4;      // half goroutines, half native threads
constexpr int SlotsEach = 4096; // table entries each worker owns
constexpr int Rounds = 200000;
constexpr int ChainLimit = 24;

struct Node {
  std::uint64_t magic = Alive;
  long id;
  Node *next = nullptr;  // a chain, trimmed at ChainLimit
  Node *stash = nullptr; // where a subgraph hides for a while
  explicit Node(long id) : id(id) {}
  ~Node() { magic = Dead; }
};

std::atomic<long> errors{0}, nextId{1};

constexpr int TreeDepth = 17;
constexpr int RoundsPerTree = 20000;
Node *tree; // left in next, right in stash; worker 0 rebuilds it

Node *makeTree(int depth) {
  Node *node = gostack::go_new<Node>(nextId++);
  if (depth > 0) {
    node->next = makeTree(depth - 1);
    node->stash = makeTree(depth - 1);
  }
  return node;
}

/// The nodes of a tree, all alive; -1 if one is not.
long treeNodes(const Node *node) {
  if (!node)
    return 0;
  if (node->magic != Alive || node->id <= 0)
    return -1;
  long left = treeNodes(node->next), right = treeNodes(node->stash);
  return left < 0 || right < 0 ? -1 : 1 + left + right;
}

constexpr long FullTree = (2L << TreeDepth) - 1;

void check(const Node *node) {
  for (int depth = 0; node; node = node->next, ++depth) {
    if (node->magic != Alive || node->id <= 0 || depth > ChainLimit + 1) {
      errors++;
      return;
    }
    if (node->stash && node->stash->magic != Alive)
      errors++;
  }
}

void trim(Node *node) {
  for (int depth = 0; node; node = node->next, ++depth)
    if (depth == ChainLimit)
      node->next = nullptr;
}

/// One worker's mutations of its slots of \p table.
void mutate(std::vector<Node *> &table, int worker) {
  unsigned seed = 12345u + unsigned(worker);
  int first = worker * SlotsEach;
  for (int round = 0; round < Rounds; ++round) {
    if (worker == 0 && round % RoundsPerTree == 0) {
      if (treeNodes(tree) != FullTree)
        errors++;
      tree = makeTree(TreeDepth);
    }
    seed = seed * 1103515245u + 12345u;
    int slot = first + int(seed >> 8) % SlotsEach;
    int other = first + int(seed >> 20) % SlotsEach;
    Node *&node = table[slot];
    check(node);
    switch (seed % 4) {
    case 0: // a new chain; the old one is garbage
      node = gostack::go_new<Node>(nextId++);
      break;
    case 1: { // grow the chain by one, keeping the old head behind it
      Node *head = gostack::go_new<Node>(nextId++);
      head->next = node;
      node = head;
      trim(node);
      break;
    }
    case 2: // the only pointer to another slot's chain into this node
      if (node && !node->stash && slot != other) {
        node->stash = table[other];
        table[other] = nullptr;
      }
      break;
    case 3: { // and back, through a malloc'd block and this stack
      if (!node || !node->stash)
        break;
      auto *block = new Node *[1]{node->stash};
      node->stash = nullptr;
      for (int i = 0; i < 64; ++i) // garbage meanwhile
        gostack::go_new<Node>(-1)->magic = Alive;
      if (!table[other])
        table[other] = block[0];
      else
        table[other]->stash = block[0];
      delete[] block;
      break;
    }
    }
  }
}

} // namespace

int main() {
  std::vector<Node *> table(Workers * SlotsEach, nullptr);
  tree = makeTree(TreeDepth);
  gostack::run([&] {
    gostack::wait_group done;
    std::vector<std::thread> threads;
    for (int worker = 0; worker < Workers; ++worker)
      if (worker % 2) {
        threads.emplace_back([&table, worker] { mutate(table, worker); });
      } else {
        done.add(1);
        gostack::go([&table, &done, worker] {
          mutate(table, worker);
          done.done();
        });
      }
    done.wait();
    for (std::thread &thread : threads)
      thread.join();
    return 0;
  });
  gostack::gc();
  if (treeNodes(tree) != FullTree)
    errors++;
  long reached = 0;
  for (Node *node : table) {
    check(node);
    reached += node != nullptr;
  }
  std::printf("collections: %s\n",
              gostack::read_mem_stats().num_gc > 5 ? "several" : "too few");
  std::printf("slots in use: %s\n", reached > 0 ? "some" : "none");
  std::printf("errors: %ld\n", errors.load());
}

// CHECK: collections: several
// CHECK-NEXT: slots in use: some
// CHECK-NEXT: errors: 0
