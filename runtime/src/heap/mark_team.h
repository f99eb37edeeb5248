//===-- heap/mark_team.h - Marking on several threads at once ---*- C++ -*-===//
//
// Parallel marking, as Go's (gcDrain on each P, sharing work.full): the
// collecting thread and helper threads (gostack-mark) share the marking of
// a phase. The phase's work comes as jobs -- ranges of roots and stacks cut
// in chunks of at most 128 KiB, ranges of a heap whose written pages are to
// be scanned again in chunks of 64 MiB -- that the markers take in turn. What a
// job marks goes on the queue of the marker that did it; a marker whose queue
// and the jobs have run dry takes objects from a shared pool, which busy
// markers fill while some marker is idle. The phase ends when every marker is
// idle with the pool empty: no object is queued anywhere, so none is left to
// find. A helper joins a phase when it wakes, if the phase has not ended: on a
// busy machine the world's stop never waits for a helper the system has not run
// yet. Marking itself is safe on many threads: a mark bit is set atomically,
// and only the marker that set it queues the object.
//
// The helpers run only inside a collection, holding no lock of the
// program's, and are never stopped with the world (world::neverStop).
//
// Usage, by the collector (holding its lock):
//   MarkTeam &team = MarkTeam::get();
//   team.hire(3);                      // before the world stops
//   MarkJobs jobs;
//   jobs.add(MarkJob::Roots, begin, end);
//   team.mark(marker, jobs, 4, /*drain=*/true);
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_RUNTIME_HEAP_MARK_TEAM_H
#define GOSTACK_RUNTIME_HEAP_MARK_TEAM_H

#include "heap/mark.h"
#include "heap/mmap_vector.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace gostack::heap {

/// A piece of a marking phase that any marker can do.
struct MarkJob {
  enum Kind : std::uint8_t {
    Roots,          ///< every aligned word of [begin, end)
    Stack,          ///< a thread's stack, with its fake stack's frames
    GoroutineStack, ///< a goroutine's [stack pointer, top), by its maps
    // The pages of [begin, end) that the program wrote since they were last
    // protected (write_watch.h), which the job asks the kernel for and
    // protects again; of those pages:
    WrittenGCPages, ///< the marked objects' words
    WrittenCPages,  ///< every aligned word (the C heap, the world running)
    WrittenCBlocks, ///< the C heap's blocks in use (the world stopped)
  };
  Kind kind;
  std::uintptr_t begin, end;
  void *fakeStack; ///< Stack only: AddressSanitizer's fake stack, or null
};

/// The jobs of one phase: adjacent ranges of a kind joined, long ones cut.
class MarkJobs {
public:
  void add(MarkJob::Kind kind, std::uintptr_t begin, std::uintptr_t end,
           void *fakeStack = nullptr);
  void clear() { jobs_.clear(); }
  std::size_t size() const { return jobs_.size(); }
  const MarkJob &operator[](std::size_t index) const { return jobs_[index]; }

private:
  MmapVector<MarkJob> jobs_;
};

class MarkTeam final : private WorkSink {
public:
  static MarkTeam &get();

  /// Starts helper threads until there are \p helpers. Call it before the
  /// world stops: starting a thread allocates.
  void hire(int helpers);
  /// Does every job of \p jobs on the calling thread (with \p leader) and
  /// on \p markers - 1 helpers; with \p drain, also everything the jobs and
  /// \p leader's queue lead to, and returns with nothing queued; without,
  /// returns with what the jobs marked queued on \p leader. The helpers'
  /// marked bytes are counted in \p leader's.
  void mark(Marker &leader, const MarkJobs &jobs, int markers, bool drain);
  /// Joins the marking phase under way, if it drains and has not ended
  /// (Go's mark assist), and scans about \p budget bytes -- Unbounded:
  /// until the phase ends. A bounded assist leaves early when no work is
  /// to be had. False if there was no phase to join.
  bool assist(std::uint64_t budget);
  static constexpr std::uint64_t Unbounded = ~std::uint64_t(0);
  /// The bytes scanned by draining markers since the last call to
  /// restartProgress(): the collection's progress, for assists' pacing.
  std::uint64_t scanned() const {
    return scanned_.load(std::memory_order_relaxed);
  }
  void restartProgress() { scanned_.store(0, std::memory_order_relaxed); }
  /// The bytes of the written pages that the last phase's jobs found.
  std::uint64_t writtenBytes() const {
    return writtenBytes_.load(std::memory_order_relaxed);
  }

private:
  MarkTeam() = default;
  static void *startHelper(void *index);
  [[noreturn]] void helperMain(int index);
  /// One marker's part of the phase, with at most about \p budget bytes
  /// scanned: true if it ended with the phase, false if it left early.
  bool work(Marker &marker, std::uint64_t budget);
  /// A marker other than the leader leaves the phase (under lock_): its
  /// marked bytes counted, its queue pooled; \p early: before the end.
  void retire(Marker &marker, bool early);
  enum class Waited { Work, PhaseEnded, TooLong };
  /// With \p marker's queue empty: takes pooled objects, waiting while
  /// other markers are busy -- PhaseEnded once every marker is idle, the
  /// pool empty; TooLong after \p mostSpins without work.
  Waited awaitWork(Marker &marker, unsigned mostSpins);
  bool wantsWork() const override;
  void noteScanned(std::uint64_t bytes) override;
  void give(MmapVector<MarkWork> &queue) override;
  /// Moves up to \p most pooled objects to \p queue; under lock_.
  void takePooled(MmapVector<MarkWork> &queue, std::size_t most);
  static void forgetHelpersInChild();

  std::mutex lock_; ///< the pool, the helpers' counts, the phase's start
  std::condition_variable phaseBegun_, helperDone_;
  /// Helpers hired, and those that have left the world's stops.
  int helpers_ = 0, helpersStarted_ = 0;
  /// The phase under way (its number, markers, jobs) and the next job.
  std::uint64_t phase_ = 0;
  int markers_ = 1;
  bool drain_ = true;
  const MarkJobs *jobs_ = nullptr;
  std::atomic<std::size_t> nextJob_{0};
  /// Objects set aside for idle markers, and how many (read without lock_).
  MmapVector<MarkWork> pool_;
  std::atomic<std::size_t> pooled_{0};
  /// Markers in the phase (the leader and the helpers that joined it),
  /// those waiting for work, and those done; finished_ once every one
  /// is idle, or the leader is done without draining.
  int joined_ = 1;
  std::atomic<int> idle_{0};
  std::atomic<bool> finished_{false};
  int helpersDone_ = 0;
  std::atomic<std::uint64_t> helpersMarkedBytes_{0};
  std::atomic<std::uint64_t> scanned_{0};
  std::atomic<std::uint64_t> writtenBytes_{0};
};

} // namespace gostack::heap

#endif // GOSTACK_RUNTIME_HEAP_MARK_TEAM_H
