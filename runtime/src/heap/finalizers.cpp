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

class Queue {
public:
  void markQueued(Marker &marker) {
    for (std::size_t entry = head_; entry < doomed_.size(); ++entry)
      marker.markPointer(
          reinterpret_cast<std::uintptr_t>(doomed_[entry].object));
  }

  void enqueue(MmapVector<Doomed> &doomed) {
    for (const Doomed &entry : doomed)
      doomed_.push_back(entry);
    queued_ += doomed.size();
  }

  void wake() {
    std::call_once(started_, [this] {
      std::thread([this] { runForever(); }).detach();
      running_.store(true);
    });
    std::lock_guard<std::mutex> lock(mutex_);
    work_.notify_one();
  }

  void awaitQueued() {
    if (std::this_thread::get_id() == threadId_)
      return;
    std::unique_lock<std::mutex> lock(mutex_);
    std::uint64_t target = queued_;
    done_.wait(lock, [&] { return destroyed_ >= target; });
  }

private:
  [[noreturn]] void runForever() {
    pthread_setname_np(pthread_self(), "gostack-final");
    threadId_ = std::this_thread::get_id();
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [this] { return head_ < doomed_.size(); });
      }
      Doomed next = take();
      next.destroy(next.object);
      // A stale copy on this stack would keep the memory one more cycle.
      static_cast<void *volatile &>(next.object) = nullptr;
      std::lock_guard<std::mutex> lock(mutex_);
      ++destroyed_;
      done_.notify_all();
    }
  }

  Doomed take() {
    // Only this thread takes, and the collector adds only while the world
    // is stopped: no lock, but no stop halfway through either. (A lock here
    // could be held by a stopped thread, and this thread would never stop.)
    world::NoStopScope scope;
    Doomed next = doomed_[head_++];
    if (head_ == doomed_.size()) {
      doomed_.clear();
      head_ = 0;
    }
    return next;
  }

  std::mutex mutex_;
  std::condition_variable work_, done_;
  std::once_flag started_;
  std::atomic<bool> running_{false};

public:
  std::size_t threadCount() const { return running_.load() ? 1 : 0; }

private:
  std::thread::id threadId_;
  MmapVector<Doomed> doomed_;
  std::size_t head_ = 0;
  std::uint64_t queued_ = 0, destroyed_ = 0;
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
std::size_t threadCount() { return queue().threadCount(); }

} // namespace gostack::heap::finalizers
