// A large live heap and a steady stream of garbage: LIVE_MB of 64-byte
// nodes in lists of 16, one list replaced at a time, for ROUNDS times the
// live heap's size in allocation -- the collector's pauses with a heap that
// stays large. The peer of live_heap.go (bench/gc_pauses/compare.py runs
// both with their gctrace and compares the pauses).
//
//   bench-live-heap [LIVE_MB] [ROUNDS]   (default 1024 MB, 4)

#include <gostack/gostack.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

constexpr int ListLength = 16;

struct Node {
  Node *next;
  long payload[6];
};

Node *makeList(long seed) {
  Node *head = nullptr;
  for (int i = 0; i < ListLength; ++i) {
    Node *node = gostack::go_new<Node>();
    node->next = head;
    node->payload[0] = seed + i;
    head = node;
  }
  return head;
}

long sum(const Node *list) {
  long total = 0;
  for (; list; list = list->next)
    total += list->payload[0];
  return total;
}

} // namespace

int main(int argc, char **argv) {
  long liveMegabytes = argc > 1 ? std::atol(argv[1]) : 1024;
  long rounds = argc > 2 ? std::atol(argv[2]) : 4;
  long lists = (liveMegabytes << 20) / (ListLength * long(sizeof(Node)));
  std::vector<Node *> heads(std::size_t(lists), nullptr);
  for (long i = 0; i < lists; ++i)
    heads[std::size_t(i)] = makeList(i);
  unsigned long random = 88172645463325252ul;
  for (long replaced = 0; replaced < lists * rounds; ++replaced) {
    random ^= random << 13;
    random ^= random >> 7;
    random ^= random << 17;
    std::size_t index = random % std::size_t(lists);
    heads[index] = makeList(long(index));
  }
  long total = 0;
  for (Node *head : heads)
    total += sum(head);
  std::printf("%ld lists, checksum %ld\n", lists, total);
}
