// Parallel marking from the inside (heap/mark_team.h): a phase marks every
// object of a large tree exactly once whether it runs alone, with helpers,
// or with threads that join it for a few kilobytes of scanning and leave
// early with objects still queued (bounded assists). A marker that lost
// the objects it left with, or one that scanned an object twice, shows here
// as an unmarked node or a wrong byte count.
//
// Not a collection: the collector is off (GOSTACK_GC=off, set before the
// first allocation), so the mark bits are the phase's alone; the test
// clears them afterwards.

#include "heap/mark_team.h"
#include "heap/page_heap.h"
#include "heap/span.h"

#include <gostack/gostack.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

using namespace gostack::heap;

struct TreeNode {
  TreeNode *left = nullptr, *right = nullptr;
  std::uint64_t payload[4] = {};
};

TreeNode *makeTree(int depth, std::vector<TreeNode *> &nodes) {
  auto *node = gostack::go_new<TreeNode>();
  nodes.push_back(node);
  if (depth > 0) {
    node->left = makeTree(depth - 1, nodes);
    node->right = makeTree(depth - 1, nodes);
  }
  return node;
}

class MarkTeamTest : public testing::Test {
protected:
  static void SetUpTestSuite() {
    setenv("GOSTACK_GC", "off", 1);
    root_ = makeTree(15, nodes_);
    MarkTeam::get().hire(3);
  }

  /// Marks from the root with \p markers and \p assistants threads that
  /// assist with \p budget bytes at a time; returns the bytes marked.
  std::uint64_t markTree(int markers, int assistants, std::uint64_t budget) {
    MarkJobs jobs;
    auto rootWord = reinterpret_cast<std::uintptr_t>(&root_);
    jobs.add(MarkJob::Roots, rootWord, rootWord + sizeof root_);
    std::atomic<bool> done{false};
    std::atomic<long> assists{0};
    std::vector<std::thread> threads;
    for (int thread = 0; thread < assistants; ++thread)
      threads.emplace_back([&] {
        while (!done.load())
          assists += MarkTeam::get().assist(budget);
      });
    Marker leader(pageHeap());
    // The leader works alone a moment with a deep queue, so assistants
    // find a phase to join.
    MarkTeam::get().mark(leader, jobs, markers, /*drain=*/true);
    done.store(true);
    for (std::thread &thread : threads)
      thread.join();
    return leader.markedBytes();
  }

  /// How many of the tree's nodes are marked; clears their bits.
  static std::size_t takeMarked() {
    std::size_t marked = 0;
    for (TreeNode *node : nodes_) {
      Span *span = pageHeap().spanOf(node);
      std::uint32_t index =
          span->objectIndex(reinterpret_cast<std::uintptr_t>(node));
      marked += span->markBits.test(index);
      span->markBits.clear(index);
    }
    return marked;
  }

  static std::uint64_t treeBytes() {
    Span *span = pageHeap().spanOf(root_);
    return nodes_.size() * span->objectSize;
  }

  static TreeNode *root_;
  static std::vector<TreeNode *> nodes_;
};

TreeNode *MarkTeamTest::root_;
std::vector<TreeNode *> MarkTeamTest::nodes_;

TEST_F(MarkTeamTest, OneMarkerMarksEveryNodeOnce) {
  EXPECT_EQ(markTree(1, 0, MarkTeam::Unbounded), treeBytes());
  EXPECT_EQ(takeMarked(), nodes_.size());
}

TEST_F(MarkTeamTest, FourMarkersMarkEveryNodeOnce) {
  for (int round = 0; round < 20; ++round) {
    EXPECT_EQ(markTree(4, 0, MarkTeam::Unbounded), treeBytes());
    ASSERT_EQ(takeMarked(), nodes_.size());
  }
}

TEST_F(MarkTeamTest, AssistsThatLeaveEarlyLoseNothing) {
  // 2 KiB of scanning at a time: an assistant leaves with objects queued.
  for (int round = 0; round < 20; ++round) {
    EXPECT_EQ(markTree(1, 3, 2048), treeBytes());
    ASSERT_EQ(takeMarked(), nodes_.size());
    EXPECT_EQ(markTree(2, 2, 2048), treeBytes());
    ASSERT_EQ(takeMarked(), nodes_.size());
  }
}

TEST_F(MarkTeamTest, ARangeMarksExactlyTheObjectsItsWordsPointInto) {
  // Many more words than scanRange looks up at once (16), pointers to the
  // heap among others: interior pointers to every seventh node, small
  // numbers, and the heap's end itself, past its last page.
  std::uintptr_t heapEnd = pageHeap().base() + HeapBytes;
  std::vector<std::uintptr_t> words;
  for (std::size_t node = 0; node < 700; node += 7) {
    words.push_back(heapEnd);
    words.push_back(node);
    words.push_back(reinterpret_cast<std::uintptr_t>(nodes_[node]) + 8);
  }
  MarkJobs jobs;
  auto begin = reinterpret_cast<std::uintptr_t>(words.data());
  jobs.add(MarkJob::Roots, begin, begin + words.size() * sizeof words[0]);
  Marker leader(pageHeap());
  // Not draining: only what the words point into is marked.
  MarkTeam::get().mark(leader, jobs, 1, /*drain=*/false);
  for (std::size_t node = 0; node < nodes_.size(); ++node) {
    Span *span = pageHeap().spanOf(nodes_[node]);
    bool marked = span->markBits.test(
        span->objectIndex(reinterpret_cast<std::uintptr_t>(nodes_[node])));
    ASSERT_EQ(marked, node < 700 && node % 7 == 0) << "node " << node;
  }
  EXPECT_EQ(leader.queue().size(), 100u);
  leader.queue().clear();
  EXPECT_EQ(takeMarked(), 100u);
}

TEST_F(MarkTeamTest, UnboundedAssistsStayToTheEnd) {
  for (int round = 0; round < 20; ++round) {
    EXPECT_EQ(markTree(2, 2, MarkTeam::Unbounded), treeBytes());
    ASSERT_EQ(takeMarked(), nodes_.size());
  }
}

} // namespace
