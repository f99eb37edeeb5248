// binary-trees (the Benchmarks Game's rules) with one allocator chosen on
// the command line, so that scripts/bench.sh binary-trees runs every peer
// from the same source: gostack (go_new, the collector frees), new/delete
// (explicit frees), boehm (GC_MALLOC). binary_trees.go is Go's.
//
//   bench-binary-trees gostack|newdelete|boehm DEPTH

#include <gostack/gostack.h>

#include <gc/gc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

struct Node {
  Node *left, *right;
};

struct GoStack {
  static Node *make(Node *left, Node *right) {
    return gostack::go_new<Node>(left, right);
  }
  static void release(Node *) {}
};

struct NewDelete {
  static Node *make(Node *left, Node *right) { return new Node{left, right}; }
  static void release(Node *node) {
    if (!node)
      return;
    release(node->left);
    release(node->right);
    delete node;
  }
};

struct Boehm {
  static Node *make(Node *left, Node *right) {
    auto *node = static_cast<Node *>(GC_MALLOC(sizeof(Node)));
    node->left = left;
    node->right = right;
    return node;
  }
  static void release(Node *) {}
};

template <class Allocator> Node *bottomUp(int depth) {
  if (depth <= 0)
    return Allocator::make(nullptr, nullptr);
  Node *left = bottomUp<Allocator>(depth - 1);
  return Allocator::make(left, bottomUp<Allocator>(depth - 1));
}

int check(const Node *node) {
  return node->left ? 1 + check(node->left) + check(node->right) : 1;
}

template <class Allocator> void run(int requested) {
  constexpr int MinDepth = 4;
  int maxDepth = std::max(MinDepth + 2, requested);
  Node *stretch = bottomUp<Allocator>(maxDepth + 1);
  std::printf("stretch tree of depth %d\t check: %d\n", maxDepth + 1,
              check(stretch));
  Allocator::release(stretch);
  Node *longLived = bottomUp<Allocator>(maxDepth);
  for (int depth = MinDepth; depth <= maxDepth; depth += 2) {
    int iterations = 1 << (maxDepth - depth + MinDepth);
    int sum = 0;
    for (int i = 0; i < iterations; ++i) {
      Node *tree = bottomUp<Allocator>(depth);
      sum += check(tree);
      Allocator::release(tree);
    }
    std::printf("%d\t trees of depth %d\t check: %d\n", iterations, depth, sum);
  }
  std::printf("long lived tree of depth %d\t check: %d\n", maxDepth,
              check(longLived));
  Allocator::release(longLived);
}

} // namespace

int main(int argc, char **argv) {
  const char *allocator = argc > 1 ? argv[1] : "";
  int depth = argc > 2 ? std::atoi(argv[2]) : 21;
  if (!std::strcmp(allocator, "gostack"))
    run<GoStack>(depth);
  else if (!std::strcmp(allocator, "newdelete"))
    run<NewDelete>(depth);
  else if (!std::strcmp(allocator, "boehm")) {
    GC_INIT();
    run<Boehm>(depth);
  } else {
    std::fprintf(stderr, "usage: %s gostack|newdelete|boehm DEPTH\n", argv[0]);
    return 2;
  }
}
