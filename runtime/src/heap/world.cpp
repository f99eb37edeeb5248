//===-- heap/world.cpp - Stopping every thread for the collector ----------===//

#include "heap/world.h"
#include "core/os.h"
#include "core/sanitizers.h"

#include <gostack/gostack.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace gostack::heap::world {

constinit thread_local volatile int detail::allocating = 0;
constinit thread_local volatile int detail::stopRequested = 0;

namespace {

[[gnu::tls_model("initial-exec")]] thread_local std::uintptr_t stackTop = 0;
[[gnu::tls_model("initial-exec")]] thread_local volatile int parking = 0;

constexpr int StopSignal = SIGURG;
constexpr std::size_t MaxThreads = std::size_t(1) << 20;
/// A thread that has not answered after this long blocks the signal.
constexpr long AnswerTimeoutMs = 10000;

/// futex: odd while the world is stopping or stopped. One word for both
/// the state and its generation: a thread parks for the stop whose odd
/// value it read, and leaves when that value changes -- never for a stop
/// that already ended, nor leaving early for one that began meanwhile.
std::atomic<std::uint32_t> epoch{0};

bool stopping() { return epoch.load(std::memory_order_acquire) & 1; }
std::atomic<std::uint32_t> reported{0}; ///< futex: threads parked
/// futex: threads not yet out of park(); a collection starts only when
/// every thread of the last one has left.
std::atomic<std::uint32_t> stillParked{0};
std::atomic<std::size_t> nextSlot{0};
StoppedThread *slots = nullptr; ///< MaxThreads entries, touched as used

/// The threads that neverStop() leaves running.
constexpr std::size_t MaxNeverStopped = 64;
std::atomic<pid_t> neverStopped[MaxNeverStopped];
std::atomic<std::size_t> neverStoppedCount{0};

bool isNeverStopped(pid_t tid) {
  std::size_t count = std::min(
      neverStoppedCount.load(std::memory_order_acquire), MaxNeverStopped);
  for (std::size_t index = 0; index < count; ++index)
    if (neverStopped[index].load(std::memory_order_relaxed) == tid)
      return true;
  return false;
}

long futex(std::atomic<std::uint32_t> &word, int op, std::uint32_t value,
           const timespec *timeout = nullptr) {
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(&word), op, value,
                 timeout, nullptr, 0);
}

pid_t currentTid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

bool sendSignal(pid_t tid, int signal) {
  return syscall(SYS_tgkill, getpid(), tid, signal) == 0;
}

/// Marks the collector's own signals, so that any other SIGURG (socket
/// out-of-band data, another process) goes to the program's handler.
int stopSignalMark;

/// Sends the stop signal, marked (rt_tgsigqueueinfo: sigqueue to a thread).
bool sendStopSignal(pid_t tid) {
  siginfo_t info = {};
  info.si_signo = StopSignal;
  info.si_code = SI_QUEUE;
  info.si_pid = getpid();
  info.si_uid = getuid();
  info.si_value.sival_ptr = &stopSignalMark;
  return syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, StopSignal, &info) == 0;
}

/// The program's own SIGURG handler, called for signals that are not ours.
struct sigaction programAction;

void (*stopRequestHook)() = nullptr;

/// Publishes this thread's stack and waits for the world to start again.
[[gnu::noinline]] void park(bool atStackCheck = false) {
  parking = 1;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  // A signal between the caller's look and `parking` may have parked this
  // thread already, for a stop that is over now.
  std::uint32_t parkedIn = epoch.load(std::memory_order_acquire);
  if (!(parkedIn & 1)) {
    parking = 0;
    return;
  }
  // Callee-saved registers go to this frame, below which nothing is live.
  __builtin_unwind_init();
  stillParked.fetch_add(1, std::memory_order_relaxed);
  std::size_t slot = nextSlot.fetch_add(1, std::memory_order_relaxed);
  if (slot < MaxThreads)
    slots[slot] = {
        currentTid(),
        sanitizers::realStackPointer(),
        stackTop,
        sanitizers::currentFakeStack(),
        atStackCheck,
        reinterpret_cast<std::uintptr_t>(__builtin_thread_pointer())};
  reported.fetch_add(1, std::memory_order_release);
  futex(reported, FUTEX_WAKE_PRIVATE, 1);
  while (epoch.load(std::memory_order_acquire) == parkedIn)
    futex(epoch, FUTEX_WAIT_PRIVATE, parkedIn);
  // Before the count drops: once it is zero the next stop may signal this
  // thread, and that signal must not find it still "parking".
  parking = 0;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  if (stillParked.fetch_sub(1, std::memory_order_release) == 1)
    futex(stillParked, FUTEX_WAKE_PRIVATE, INT_MAX);
}

void onStopSignal(int signal, siginfo_t *info, void *context) {
  if (info->si_code != SI_QUEUE || info->si_pid != getpid() ||
      info->si_value.sival_ptr != &stopSignalMark) {
    if (programAction.sa_flags & SA_SIGINFO)
      programAction.sa_sigaction(signal, info, context);
    else if (programAction.sa_handler != SIG_DFL &&
             programAction.sa_handler != SIG_IGN)
      programAction.sa_handler(signal);
    return;
  }
  int savedErrno = errno;
  // Nested in park() (the handler does not block its own signal): parked.
  if (parking) {
    errno = savedErrno;
    return;
  }
  if (stopping()) {
    if (detail::allocating)
      detail::stopRequested = 1;
    else
      park();
  }
  errno = savedErrno;
}

bool ourHandlerInstalled() {
  struct sigaction current;
  return sigaction(StopSignal, nullptr, &current) == 0 &&
         (current.sa_flags & SA_SIGINFO) &&
         current.sa_sigaction == onStopSignal;
}

/// Installs the stop signal's handler, keeping the program's (installed
/// before, or since the last collection) to chain to.
void installHandler() {
  if (!slots) {
    slots = static_cast<StoppedThread *>(
        os::mapOrDie(MaxThreads * sizeof(StoppedThread),
                     "cannot map the collector's thread table"));
  }
  if (ourHandlerInstalled())
    return;
  struct sigaction action = {};
  action.sa_sigaction = onStopSignal;
  // Not blocked while the handler runs: a thread on its way out of the
  // handler must not look like one that blocks the signal.
  action.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  if (sigaction(StopSignal, &action, &programAction) != 0)
    gostack::detail::fatal("cannot install the collector's SIGURG handler");
}

/// Appends the ids of the process's threads to \p tids, without malloc.
void listThreads(MmapVector<pid_t> &tids) {
  os::forEachThread(
      [](void *list, pid_t tid) {
        static_cast<MmapVector<pid_t> *>(list)->push_back(tid);
      },
      &tids);
}

/// Whether thread \p tid blocks the stop signal. One that does so for long
/// (a thread waiting for signals with sigwait, a sanitizer's own thread) is
/// neither stopped nor scanned: like malloc'd memory, it must not hold the
/// only pointer to a GC object.
bool blocksStop(pid_t tid) {
  char status[4096];
  if (!os::readThreadFile(tid, "status", status, sizeof status))
    return false;
  const char *blocked = std::strstr(status, "SigBlk:\t");
  if (!blocked)
    return false;
  unsigned long long mask = std::strtoull(blocked + 8, nullptr, 16);
  return mask >> (StopSignal - 1) & 1;
}

bool contains(MmapVector<pid_t> &tids, pid_t tid) {
  for (pid_t known : tids)
    if (known == tid)
      return true;
  return false;
}

bool hasParked(pid_t tid) {
  std::size_t parked = nextSlot.load(std::memory_order_acquire);
  for (std::size_t slot = 0; slot < parked && slot < MaxThreads; ++slot)
    if (slots[slot].tid == tid)
      return true;
  return false;
}

long millisecondsSince(const timespec &begin) {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - begin.tv_sec) * 1000 +
         (now.tv_nsec - begin.tv_nsec) / 1000000;
}

/// Whether a signalled thread is alive, has not parked and does not block
/// the signal (the signal stays pending for those); names one.
bool someoneSilent(MmapVector<pid_t> &signalled, pid_t &silent) {
  for (pid_t tid : signalled)
    if (!hasParked(tid) && sendSignal(tid, 0) && !blocksStop(tid)) {
      silent = tid;
      return true;
    }
  return false;
}

/// Waits until every signalled thread has parked or exited.
void awaitParked(MmapVector<pid_t> &signalled) {
  timespec begin, tick = {0, 20000000}; // 20 ms
  clock_gettime(CLOCK_MONOTONIC, &begin);
  for (;;) {
    std::uint32_t parked = reported.load(std::memory_order_acquire);
    if (parked >= signalled.size())
      return;
    if (futex(reported, FUTEX_WAIT_PRIVATE, parked, &tick) == 0 ||
        errno != ETIMEDOUT)
      continue;
    // Threads that exited after being listed never answer, nor do those
    // that block the signal (glibc blocks it for a moment in pthread_create:
    // after 20 ms such a thread is taken to block it for good).
    pid_t silent = 0;
    if (!someoneSilent(signalled, silent))
      return;
    if (millisecondsSince(begin) < AnswerTimeoutMs)
      continue;
    // It neither blocks the signal nor answers it.
    char message[320];
    if (!ourHandlerInstalled())
      std::snprintf(message, sizeof message,
                    "the program replaced the collector's SIGURG handler "
                    "while the world was stopping: thread %d does not stop "
                    "(install handlers for SIGURG before collections, or "
                    "leave SIGURG to gostack; its handler calls yours)",
                    static_cast<int>(silent));
    else
      std::snprintf(message, sizeof message,
                    "thread %d does not stop for the garbage collector: it "
                    "has not answered SIGURG for %ld s",
                    static_cast<int>(silent), AnswerTimeoutMs / 1000);
    gostack::detail::fatal(message);
  }
}

} // namespace

void stop(MmapVector<StoppedThread> &stopped) {
  // Every thread of the last stop has left park(): a signal must not find
  // one still "parking" there (it would take the signal for the old stop).
  for (std::uint32_t parked;
       (parked = stillParked.load(std::memory_order_acquire)) != 0;)
    futex(stillParked, FUTEX_WAIT_PRIVATE, parked);
  // Again at every stop: the program may have installed a handler of its
  // own since (ours then calls it).
  installHandler();
  nextSlot.store(0, std::memory_order_relaxed);
  reported.store(0, std::memory_order_relaxed);
  epoch.fetch_add(1, std::memory_order_acq_rel); // odd: stopping
  if (stopRequestHook)
    stopRequestHook();
  pid_t self = currentTid();
  MmapVector<pid_t> signalled, listed;
  // Threads started by a thread not stopped yet appear in a later listing;
  // stopped threads start none, so this ends.
  for (;;) {
    listed.clear();
    listThreads(listed);
    std::size_t before = signalled.size();
    for (pid_t tid : listed)
      if (tid != self && !isNeverStopped(tid) && !contains(signalled, tid) &&
          sendStopSignal(tid))
        signalled.push_back(tid);
    if (signalled.size() == before)
      break;
    awaitParked(signalled);
  }
  if (nextSlot.load(std::memory_order_acquire) > MaxThreads)
    gostack::detail::fatal("too many threads for the garbage collector");
  stopped.clear();
  std::size_t parked = nextSlot.load(std::memory_order_acquire);
  for (std::size_t slot = 0; slot < parked; ++slot)
    stopped.push_back(slots[slot]);
}

void noteThreadStack() {
  pthread_attr_t attributes;
  if (stackTop || pthread_getattr_np(pthread_self(), &attributes) != 0)
    return;
  void *lowest;
  std::size_t size;
  if (pthread_attr_getstack(&attributes, &lowest, &size) == 0)
    stackTop = reinterpret_cast<std::uintptr_t>(lowest) + size;
  pthread_attr_destroy(&attributes);
}

std::uintptr_t threadStackTop() { return stackTop; }

void start() {
  epoch.fetch_add(1, std::memory_order_acq_rel); // even: running
  futex(epoch, FUTEX_WAKE_PRIVATE, INT_MAX);
  // Not waiting here for them to leave park(): the next stop does. On a
  // busy machine a woken thread may wait milliseconds for a processor,
  // which is no part of the pause (Go's startTheWorld does not wait for
  // its Ms to run either).
}

void neverStop() {
  std::size_t index = neverStoppedCount.fetch_add(1, std::memory_order_acq_rel);
  if (index >= MaxNeverStopped)
    gostack::detail::fatal("too many of the collector's own threads");
  neverStopped[index].store(currentTid(), std::memory_order_release);
}

void setStopRequestHook(void (*requestStop)()) {
  stopRequestHook = requestStop;
}

void stopAtStackCheck() {
  // Its signal may have come first (then it is parked already, or this is
  // the check right after), or it is inside a no-stop scope.
  if (stopping() && !parking && !detail::allocating)
    park(/*atStackCheck=*/true);
}

void forgetStopsInChild() {
  if (epoch.load(std::memory_order_relaxed) & 1)
    epoch.fetch_add(1, std::memory_order_relaxed);
  reported.store(0, std::memory_order_relaxed);
  stillParked.store(0, std::memory_order_relaxed);
  nextSlot.store(0, std::memory_order_relaxed);
  neverStoppedCount.store(0, std::memory_order_relaxed); // not copied
  detail::stopRequested = 0;
}

void detail::stopDeferred() {
  stopRequested = 0;
  if (stopping())
    park();
}

} // namespace gostack::heap::world
