//===-- heap/mark_team.cpp - Marking on several threads at once -----------===//

#include "heap/mark_team.h"
#include "heap/c_heap.h"
#include "heap/metadata.h"
#include "heap/page_heap.h"
#include "heap/roots.h"
#include "heap/world.h"
#include "heap/write_watch.h"

#include <algorithm>
#include <pthread.h>
#include <thread>

namespace gostack::heap {
namespace {

/// A job's longest range: short enough that a phase's few large ranges
/// (a big global array, the C heap's blocks) are shared among the markers.
constexpr std::uintptr_t JobBytes = 128 * 1024;
/// A written-pages job's longest range: the kernel walks its page tables
/// (16,384 entries, tens of microseconds), the job scans what was written.
constexpr std::uintptr_t WrittenJobBytes = 64 << 20;
/// The most queued objects a busy marker gives away at once, and an idle
/// one takes: enough for a while, some left for the next idle marker.
constexpr std::size_t MostGiven = 1024, MostTaken = 256;
/// How long a bounded assist waits for work, in pauses (some microseconds:
/// long enough for a busy marker to look whether someone is idle).
constexpr unsigned AssistSpins = 512;

MarkTeam *team = nullptr;

/// The C-style callback that scans [begin, end) with a Marker.
void scanRangeOf(void *marker, std::uintptr_t begin, std::uintptr_t end) {
  static_cast<Marker *>(marker)->scanRange(begin, end);
}

/// A Written* job's marker and the bytes of the written pages it found.
struct WrittenPages {
  Marker &marker;
  MarkJob::Kind kind;
  std::uint64_t bytes = 0;
};

/// The callback that scans a run of written pages as its job says.
void scanWritten(void *context, std::uintptr_t begin, std::uintptr_t end) {
  auto &written = *static_cast<WrittenPages *>(context);
  written.bytes += end - begin;
  switch (written.kind) {
  case MarkJob::WrittenGCPages:
    written.marker.rescanMarked(begin, end);
    break;
  case MarkJob::WrittenCBlocks:
    cheap::forEachBlockIn(begin, end, scanRangeOf, &written.marker);
    break;
  default: // WrittenCPages
    written.marker.scanRange(begin, end);
    break;
  }
}

bool asksForWrittenPages(MarkJob::Kind kind) {
  return kind == MarkJob::WrittenGCPages || kind == MarkJob::WrittenCPages ||
         kind == MarkJob::WrittenCBlocks;
}

/// Does \p job, adding the written pages' bytes it finds to \p written.
void runJob(Marker &marker, const MarkJob &job,
            std::atomic<std::uint64_t> &written) {
  switch (job.kind) {
  case MarkJob::Roots:
    marker.scanRange(job.begin, job.end);
    break;
  case MarkJob::Stack:
    marker.scanStack(job.begin, job.end, job.fakeStack);
    break;
  case MarkJob::GoroutineStack:
    roots::goroutineStacks()->forEachRangeOfStack(job.begin, job.end,
                                                  scanRangeOf, &marker);
    break;
  case MarkJob::WrittenGCPages:
  case MarkJob::WrittenCPages:
  case MarkJob::WrittenCBlocks: {
    WrittenPages pages{marker, job.kind};
    write_watch::takeWritten(job.begin, job.end, scanWritten, &pages);
    written.fetch_add(pages.bytes, std::memory_order_relaxed);
    break;
  }
  }
}

} // namespace

void MarkJobs::add(MarkJob::Kind kind, std::uintptr_t begin, std::uintptr_t end,
                   void *fakeStack) {
  // A stack with fake frames is one job: its scan follows them; so is a
  // goroutine's stack, whose frames are walked from its stack pointer.
  if (fakeStack || kind == MarkJob::GoroutineStack) {
    jobs_.push_back({kind, begin, end, fakeStack});
    return;
  }
  std::uintptr_t most = asksForWrittenPages(kind) ? WrittenJobBytes : JobBytes;
  while (begin < end) {
    MarkJob *last = jobs_.empty() ? nullptr : &jobs_.back();
    if (last && last->kind == kind && !last->fakeStack && last->end == begin &&
        last->end - last->begin < most) {
      std::uintptr_t joined = std::min(end, last->begin + most); // > begin
      last->end = joined;
      begin = joined;
      continue;
    }
    std::uintptr_t cut = std::min(end, begin + most);
    jobs_.push_back({kind, begin, cut, nullptr});
    begin = cut;
  }
}

MarkTeam &MarkTeam::get() {
  // Metadata memory, as the collector's (it lives as long as the process).
  static MarkTeam *instance = team =
      ::new (metadataAllocate(sizeof(MarkTeam))) MarkTeam;
  return *instance;
}

void MarkTeam::forgetHelpersInChild() {
  // Only the forking thread was copied: no helper, no phase under way.
  ::new (team) MarkTeam();
}

void MarkTeam::hire(int helpers) {
  static std::once_flag forkHandled;
  std::call_once(forkHandled, [] {
    pthread_atfork(nullptr, nullptr, forgetHelpersInChild);
  });
  std::unique_lock<std::mutex> hold(lock_);
  while (helpers_ < helpers) {
    pthread_t thread;
    // Fewer helpers than asked if the system has no thread to spare.
    if (pthread_create(&thread, nullptr, startHelper,
                       reinterpret_cast<void *>(std::intptr_t(helpers_))))
      return;
    pthread_detach(thread);
    // Until it has left the world's stops, a stop could stop it.
    helperDone_.wait(hold, [&] { return helpersStarted_ > helpers_; });
    ++helpers_;
  }
}

void *MarkTeam::startHelper(void *index) {
  team->helperMain(static_cast<int>(reinterpret_cast<std::intptr_t>(index)));
}

void MarkTeam::helperMain(int index) {
  world::neverStop();
  pthread_setname_np(pthread_self(), "gostack-mark");
  std::unique_lock<std::mutex> hold(lock_);
  ++helpersStarted_;
  helperDone_.notify_all();
  for (std::uint64_t seen = phase_;;) {
    phaseBegun_.wait(hold, [&] { return phase_ != seen; });
    seen = phase_;
    // Not needed in this phase, or woken too late for it: a phase never
    // waits for a helper the system has not run yet.
    if (index >= markers_ - 1 || finished_.load(std::memory_order_relaxed))
      continue;
    ++joined_;
    hold.unlock();
    Marker marker(pageHeap());
    work(marker, Unbounded);
    hold.lock();
    retire(marker, /*early=*/false);
  }
}

void MarkTeam::mark(Marker &leader, const MarkJobs &jobs, int markers,
                    bool drain) {
  writtenBytes_.store(0, std::memory_order_relaxed);
  markers = std::max(1, std::min(markers, helpers_ + 1));
  // Alone and not draining, no thread can join: no phase to set up.
  if (markers == 1 && !drain) {
    for (std::size_t job = 0; job < jobs.size(); ++job)
      runJob(leader, jobs[job], writtenBytes_);
    return;
  }
  {
    std::lock_guard<std::mutex> hold(lock_);
    jobs_ = &jobs;
    nextJob_.store(0, std::memory_order_relaxed);
    markers_ = markers;
    drain_ = drain;
    idle_.store(0, std::memory_order_relaxed);
    finished_.store(false, std::memory_order_relaxed);
    joined_ = 1;
    helpersDone_ = 0;
    helpersMarkedBytes_.store(0, std::memory_order_relaxed);
    ++phase_;
  }
  if (markers > 1)
    phaseBegun_.notify_all();
  work(leader, Unbounded);
  std::unique_lock<std::mutex> hold(lock_);
  // Draining, the last idle marker ended the phase; without, the jobs are
  // all taken. Either way no helper joins now.
  finished_.store(true, std::memory_order_relaxed);
  helperDone_.wait(hold, [&] { return helpersDone_ == joined_ - 1; });
  leader.addMarkedBytes(helpersMarkedBytes_.load(std::memory_order_relaxed));
  takePooled(leader.queue(), pool_.size());
  jobs_ = nullptr;
}

bool MarkTeam::assist(std::uint64_t budget) {
  // Not stopped holding lock_, which the collecting thread takes with the
  // world stopped; a stop asked for meanwhile waits for the end of this
  // (no stop comes while a phase that the thread could join runs).
  world::NoStopScope scope;
  {
    std::lock_guard<std::mutex> hold(lock_);
    if (!jobs_ || !drain_ || finished_.load(std::memory_order_relaxed))
      return false;
    ++joined_;
  }
  Marker marker(pageHeap());
  bool early = !work(marker, budget);
  std::lock_guard<std::mutex> hold(lock_);
  retire(marker, early);
  return true;
}

bool MarkTeam::work(Marker &marker, std::uint64_t budget) {
  WorkSink *sink = drain_ ? this : nullptr;
  std::uint64_t scanned = 0;
  if (sink) // the leader's queue may hold objects already
    scanned += marker.drain(sink, budget);
  for (;;) {
    if (scanned >= budget)
      return false;
    std::size_t job = nextJob_.fetch_add(1, std::memory_order_relaxed);
    if (job < jobs_->size()) {
      runJob(marker, (*jobs_)[job], writtenBytes_);
      if (sink)
        scanned += marker.drain(sink, budget - scanned);
      continue;
    }
    if (!sink)
      return true;
    // A bounded assist waits for work only a moment: being idle, it asks
    // the busy markers for some.
    switch (awaitWork(marker, budget == Unbounded ? ~0u : AssistSpins)) {
    case Waited::Work:
      break;
    case Waited::PhaseEnded:
      return true;
    case Waited::TooLong:
      return false;
    }
    scanned += marker.drain(sink, budget - scanned);
  }
}

void MarkTeam::retire(Marker &marker, bool early) {
  helpersMarkedBytes_.fetch_add(marker.markedBytes(),
                                std::memory_order_relaxed);
  // Not drained (or without draining): what is queued is for the others,
  // or the leader's to take.
  while (!marker.queue().empty())
    pool_.push_back(marker.queue().pop_back());
  pooled_.store(pool_.size(), std::memory_order_relaxed);
  if (early) {
    // No longer in the phase; if the others are all idle with nothing
    // left to take, the phase is over.
    --joined_;
    if (pool_.empty() && idle_.load(std::memory_order_relaxed) == joined_)
      finished_.store(true, std::memory_order_relaxed);
  } else {
    ++helpersDone_;
  }
  helperDone_.notify_all();
}

MarkTeam::Waited MarkTeam::awaitWork(Marker &marker, unsigned mostSpins) {
  {
    std::lock_guard<std::mutex> hold(lock_);
    if (!pool_.empty()) {
      takePooled(marker.queue(), MostTaken);
      return Waited::Work;
    }
    // The last marker to go idle, the pool empty: nothing is queued
    // anywhere, and nothing can be again.
    if (idle_.fetch_add(1, std::memory_order_relaxed) + 1 == joined_) {
      finished_.store(true, std::memory_order_relaxed);
      return Waited::PhaseEnded;
    }
  }
  for (unsigned spins = 0;; ++spins) {
    if (finished_.load(std::memory_order_relaxed))
      return Waited::PhaseEnded;
    if (pooled_.load(std::memory_order_relaxed) || spins == mostSpins) {
      std::lock_guard<std::mutex> hold(lock_);
      if (finished_.load(std::memory_order_relaxed))
        return Waited::PhaseEnded;
      if (!pool_.empty()) {
        idle_.fetch_sub(1, std::memory_order_relaxed);
        takePooled(marker.queue(), MostTaken);
        return Waited::Work;
      }
      if (spins == mostSpins) {
        idle_.fetch_sub(1, std::memory_order_relaxed);
        return Waited::TooLong;
      }
    }
    if (spins < 64 || mostSpins != ~0u)
      __builtin_ia32_pause();
    else
      std::this_thread::yield();
  }
}

bool MarkTeam::wantsWork() const {
  return idle_.load(std::memory_order_relaxed) &&
         !pooled_.load(std::memory_order_relaxed);
}

void MarkTeam::noteScanned(std::uint64_t bytes) {
  scanned_.fetch_add(bytes, std::memory_order_relaxed);
}

void MarkTeam::give(MmapVector<MarkWork> &queue) {
  std::size_t given = std::min(queue.size() / 2, MostGiven);
  std::lock_guard<std::mutex> hold(lock_);
  for (std::size_t object = 0; object < given; ++object)
    pool_.push_back(queue.pop_back());
  pooled_.store(pool_.size(), std::memory_order_relaxed);
}

void MarkTeam::takePooled(MmapVector<MarkWork> &queue, std::size_t most) {
  for (std::size_t object = 0; object < most && !pool_.empty(); ++object)
    queue.push_back(pool_.pop_back());
  pooled_.store(pool_.size(), std::memory_order_relaxed);
}

} // namespace gostack::heap
