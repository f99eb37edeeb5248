// Values waiting in a channel are reachable: a buffered channel of pointers
// holds the only references to its GC objects across collections, and a
// worker pool over a buffered channel, collecting at every 1% of growth
// (GOSTACK_GC=1), sees every job exactly once, with the value it was sent.
// RUN: %gostack_cxx -O2 %s -o %t %gostack_link
// RUN: env GOSTACK_GC=1 %t | FileCheck %s

#include <gostack/gostack.h>

#include <atomic>
#include <cstdio>
#include <utility>

struct Job {
  long id;
  long payload[7]; // 64 bytes: a size class freed memory is quickly reused
};

std::atomic<long> destroyedEarly{0};

int main() {
  return gostack::run([] {
    // A full buffer across collections.
    gostack::chan<Job *> buffered(1000);
    for (long i = 0; i < 1000; ++i) {
      Job *job = gostack::go_new<Job>();
      job->id = i;
      job->payload[6] = i * 3;
      buffered.send(job);
    }
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 10000; ++j)
        gostack::go_new<Job>()->id = -1; // garbage reusing freed memory
      gostack::gc();
    }
    long wrong = 0;
    for (long i = 0; i < 1000; ++i) {
      Job *job = buffered.recv();
      wrong += job->id != i || job->payload[6] != i * 3;
    }
    std::printf("buffered: %ld wrong\n", wrong);
    // CHECK: buffered: 0 wrong

    // A worker pool: 4 workers, 300k jobs through a buffered channel.
    constexpr long Jobs = 300000;
    gostack::chan<Job *> jobs(512);
    gostack::chan<std::pair<long, long>> results(4); // sum, count
    for (int w = 0; w < 4; ++w)
      gostack::go([jobs, results]() mutable {
        long sum = 0, count = 0;
        for (Job *job; jobs.recv(job);) {
          sum += job->id == job->payload[6] / 3 ? job->id : -1'000'000'000;
          ++count;
        }
        results.send({sum, count});
      });
    for (long i = 0; i < Jobs; ++i) {
      Job *job = gostack::go_new<Job>();
      job->id = i;
      job->payload[6] = i * 3;
      jobs.send(job);
    }
    jobs.close();
    long sum = 0, count = 0;
    for (int w = 0; w < 4; ++w) {
      auto [workerSum, workerCount] = results.recv();
      sum += workerSum;
      count += workerCount;
    }
    std::printf("pool: %ld jobs, sum %s\n", count,
                sum == Jobs * (Jobs - 1) / 2 ? "right" : "wrong");
    // CHECK: pool: 300000 jobs, sum right
    std::printf("collections: %s\n",
                gostack::read_mem_stats().num_gc > 10 ? "many" : "few");
    // CHECK: collections: many
    return 0;
  });
}
