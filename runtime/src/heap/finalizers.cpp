//===-- heap/finalizers.cpp - Destructors of collected objects ------------===//

#include "heap/finalizers.h"
#include "heap/metadata.h"
#include "heap/world.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace gostack::heap::finalizers {
namespace {

/// Objects waiting for their destructor: the collector appends whole
/// rounds while the world is stopped; the finalizer thread takes everything
/// queued in one swap and destroys it in order, so that neither side pays
/// per object for a lock or a wake-up. Until an object's destructor has
/// returned, every collection marks it (markQueued).
class Queue {
public:
  void markQueued(Marker &marker) {
    for (MmapVector<Doomed> *list : {&running_, &doomed_})
      for (std::size_t entry = list == &running_ ? runHead_ : 0;
           entry < list->size(); ++entry)
        marker.markPointer(
            reinterpret_cast<std::uintptr_t>((*list)[entry].object));
  }

  void enqueue(MmapVector<Doomed> &doomed) {
    queued_ += doomed.size();
    if (doomed_.empty()) {
      doomed_.swap(doomed);
      return;
    }
    for (const Doomed &entry : doomed)
      doomed_.push_back(entry);
  }

  void wake() {
    std::call_once(started_, [this] {
      std::thread([this] { runForever(); }).detach();
      running.store(true);
    });
    std::lock_guard<std::mutex> lock(mutex_);
    work_.notify_one();
  }

  void awaitQueued() {
    if (std::this_thread::get_id() == threadId_.load())
      return;
    std::unique_lock<std::mutex> lock(mutex_);
    std::uint64_t target = queued_;
    done_.wait(lock, [&] { return destroyed_ >= target; });
  }

  std::atomic<bool> running{false};

private:
  [[noreturn]] void runForever() {
    pthread_setname_np(pthread_self(), "gostack-final");
    threadId_.store(std::this_thread::get_id());
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [this] { return !doomed_.empty(); });
      }
      takeAll();
      // runHead_ moves past an object only once its destructor returned.
      for (; runHead_ < running_.size(); ++runHead_) {
        Doomed &next = running_[runHead_];
        next.destroy(next.object);
      }
      std::lock_guard<std::mutex> lock(mutex_);
      destroyed_ += running_.size();
      done_.notify_all();
    }
  }

  void takeAll() {
    // The collector adds only while the world is stopped: no lock, but no
    // stop halfway through either. (A lock here could be held by a stopped
    // thread, and this thread would never stop.)
    world::NoStopScope scope;
    running_.clear();
    runHead_ = 0;
    running_.swap(doomed_);
  }

  std::mutex mutex_;
  std::condition_variable work_, done_;
  std::once_flag started_;
  std::atomic<std::thread::id> threadId_; ///< the finalizer thread's
  MmapVector<Doomed> doomed_;             ///< queued, not taken yet
  MmapVector<Doomed> running_;            ///< taken; destroyed up to runHead_
  std::size_t runHead_ = 0;
  std::uint64_t queued_ = 0, destroyed_ = 0; ///< queued_: under the stop
};

Queue &queue() {
  // Metadata memory: first used while the world is stopped.
  static Queue *instance = newMetadata<Queue>(); // as long as the process
  return *instance;
}

} // namespace

void markQueued(Marker &marker) { queue().markQueued(marker); }
void enqueue(MmapVector<Doomed> &doomed) { queue().enqueue(doomed); }
void wake() { queue().wake(); }
void awaitQueued() { queue().awaitQueued(); }
std::size_t threadCount() { return queue().running.load() ? 1 : 0; }

} // namespace gostack::heap::finalizers
