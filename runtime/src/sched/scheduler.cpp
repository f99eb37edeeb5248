//===-- sched/scheduler.cpp - Goroutines on worker threads ----------------===//

#include "sched/scheduler.h"
#include "core/options.h"
#include "core/sanitizers.h"
#include "heap/collector.h"
#include "heap/finalizers.h"
#include "heap/roots.h"
#include "heap/world.h"
#include "sched/context.h"
#include "sched/faults.h"
#include "sched/run_queues.h"
#include "sched/stack_growth.h"
#include "sched/traceback.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <mutex>
#include <string>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace gostack::sched {
namespace {

constexpr std::size_t MaxWorkers = 1024;
/// A worker that has not switched for this long while goroutines wait is
/// stuck (a blocking system call, a loop): the monitor adds a worker.
constexpr long StuckMs = 10;
constexpr std::size_t AltStackSize = 64 << 10;
/// Finished goroutines move between a worker's and the shared free list in
/// batches of this many.
constexpr int FreeBatch = 32;
/// Goroutine ids a worker takes at once.
constexpr std::uint64_t IdBatch = 64;
/// The largest function object (with its arguments) go() copies to a new
/// goroutine's stack.
constexpr std::size_t MaxFunctionBytes = 16 << 10;
/// How long a worker out of work keeps looking before it sleeps.
constexpr std::chrono::microseconds SpinTime{50};

using Clock = std::chrono::steady_clock;

/// What the worker does once the goroutine that switched to it is off its
/// stack.
enum class AfterSwitch { Yield, Park, Exit };

struct Worker {
  unsigned index = 0;
  Goroutine *free = nullptr; ///< finished goroutines to reuse, no lock
  int freeCount = 0;
  std::uint64_t nextId = 0, endId = 0; ///< this worker's batch of ids
  std::atomic<std::uint64_t> started{0}, finished{0};
  std::atomic<pid_t> tid{0};
  void *schedulerSp = nullptr;
  std::atomic<Goroutine *> current{nullptr};
  /// This thread's stack guard word: the monitor poisons it to preempt.
  std::atomic<std::uintptr_t *> guardSlot{nullptr};
  AfterSwitch after = AfterSwitch::Yield;
  void (*parkUnlock)(void *) = nullptr;
  void *parkArgument = nullptr;
  const char *parkReason = nullptr;
  bool onSystemStack = false;
  SanitizerContext sanitizer;
  std::atomic<std::uint64_t> switches{0};

  LocalQueue queue;

  // Sleeping when idle.
  std::mutex sleepMutex;
  std::condition_variable sleepCondition;
  bool woken = false;
  bool idle = false; // guarded by the scheduler's idleMutex
  std::uint64_t tick = 0;
};

thread_local Worker *currentWorker = nullptr;

std::size_t countThreads() {
  std::size_t threads = 0;
  if (DIR *tasks = opendir("/proc/self/task")) {
    while (dirent *entry = readdir(tasks))
      threads += entry->d_name[0] != '.';
    closedir(tasks);
  }
  return threads;
}

/// Whether thread \p tid sleeps in the kernel (a system call), rather than
/// running: only then does another worker help; a goroutine that computes
/// for long keeps its worker, as one would with Go's preemption off.
bool blockedInKernel(pid_t tid) {
  char path[64], stat[512];
  std::snprintf(path, sizeof path, "/proc/self/task/%d/stat",
                static_cast<int>(tid));
  FILE *file = std::fopen(path, "r");
  if (!file)
    return false;
  std::size_t bytes = std::fread(stat, 1, sizeof stat - 1, file);
  std::fclose(file);
  stat[bytes] = 0;
  // "tid (name) S ...": the state follows the last ')'.
  const char *state = std::strrchr(stat, ')');
  return state && state[1] == ' ' && (state[2] == 'S' || state[2] == 'D');
}

/// Makes the next stack check of the goroutine running on \p worker fail.
/// Only the worker's own loop writes its guard otherwise; it may overwrite
/// this between two goroutines, which asks the next one for nothing.
void poisonGuard(Worker *worker) {
  if (std::uintptr_t *slot = worker->guardSlot.load())
    __atomic_store_n(slot, StackGuardPoison, __ATOMIC_RELAXED);
}

[[noreturn]] void deadlock() {
  std::fprintf(stderr, "fatal error: all goroutines are asleep - deadlock!\n");
  printTraceback(/*all=*/true);
  _exit(2);
}

/// Go's answer to SIGQUIT: every goroutine's stack, exit status 2.
[[noreturn]] void dumpOnQuit() {
  heap::Collector::get().stopWorldAndExit(
      [] {
        std::fprintf(stderr, "SIGQUIT: quit\n");
        printTraceback(/*all=*/true);
      },
      2);
}

class Scheduler {
public:
  static Scheduler &get() {
    static Scheduler *instance = new Scheduler; // lives as long as the process
    return *instance;
  }

  void start() {
    if (!running_.load(std::memory_order_acquire))
      std::call_once(started_, [this] {
        startWorkers();
        running_.store(true, std::memory_order_release);
      });
  }

  /// A goroutine with a stack of at least \p stackSize bytes, not started
  /// yet (see start()).
  Goroutine *create(bool isMain, std::size_t stackSize);
  /// Gives back a goroutine that create() made but that never started.
  void discard(Goroutine *g);
  Goroutine *reuse();
  std::uint64_t newId();
  void countStart() { count(&Worker::started, outsideStarted); }
  void countFinish() { count(&Worker::finished, outsideFinished); }
  void ready(Goroutine *g, bool next);
  void runWorker(Worker *worker);
  void destroy(Goroutine *g);

  /// Goroutines alive: started minus finished, counted per worker (one
  /// writer each, no shared cache line per goroutine) and here for threads
  /// that are not workers.
  std::size_t live();
  std::atomic<std::int64_t> outsideStarted{0}, outsideFinished{0};
  std::atomic<bool> mainBlocked{false}, mainAlive{false};
  /// Threads blocked in run(), waiting for their main goroutine.
  std::atomic<std::size_t> runCallers{0};

  /// Calls visit(worker, goroutine) for each worker running a goroutine.
  template <class Visit> void forEachRunning(Visit visit) {
    for (std::size_t i = 0, count = workerCount_.load(); i < count; ++i) {
      Worker *worker = workers_[i].load();
      if (Goroutine *g = worker->current.load())
        visit(worker, g);
    }
  }

  /// For the collector, while the world is stopped.
  void forEachGoroutine(void (*visit)(Goroutine *, void *), void *context) {
    for (Goroutine *g = all_; g; g = g->allNext)
      if (!g->dead)
        visit(g, context);
  }

private:
  /// Counts one goroutine started or finished: in this worker's \p own
  /// counter, or in \p outside on a thread that is not a worker.
  void count(std::atomic<std::uint64_t> Worker::*own,
             std::atomic<std::int64_t> &outside);
  void startWorkers();
  Worker *addWorker();
  Goroutine *findRunnable(Worker *worker);
  Goroutine *tryFind(Worker *worker, bool takeRunNext);
  /// Half of another worker's queue; its run-next goroutine only if
  /// \p takeRunNext (it is about to run there: ping-pong stays put).
  Goroutine *steal(Worker *thief, bool takeRunNext);
  bool anyWork();
  void sleep(Worker *worker);
  void wakeOne();
  void monitor();
  /// Asks the goroutine running on \p worker to yield at its next managed
  /// call (Go's stackPreempt).
  void preempt(Worker *worker);
  /// Makes every running goroutine's next stack check fail: the collector
  /// is stopping the world (no allocation: the world is stopping).
  void poisonRunningGuards();
  bool allAsleep();

  std::once_flag started_;
  std::atomic<bool> running_{false};
  std::atomic<std::size_t> workerCount_{0};
  std::atomic<Worker *> workers_[MaxWorkers] = {};
  std::atomic<std::uint64_t> nextId_{1};

  std::mutex allMutex_; ///< the list of all goroutines
  GlobalQueue global_;

  std::mutex idleMutex_;
  std::vector<Worker *> idle_;
  std::atomic<std::size_t> idleCount_{0}, spinning_{0};

  Goroutine *all_ = nullptr; ///< changed only inside a NoStopScope
  std::mutex freeMutex_;
  Goroutine *free_ = nullptr; ///< finished goroutines any worker may reuse
};

/// The goroutine's first frame on its own stack.
[[noreturn]] void goroutineMain(void *arg);

void switchToWorker(Goroutine *g, AfterSwitch after) {
  Worker *worker = currentWorker;
  // Below this frame on the thread's stack, the worker would run other
  // goroutines over it.
  if (worker->onSystemStack)
    detail::fatal("a goroutine cannot block or yield inside systemstack");
  worker->after = after;
  beforeSwitch(g->sanitizer, worker->sanitizer, after == AfterSwitch::Exit);
  gostack_switch_context(&g->sp, worker->schedulerSp);
  afterSwitch(g->sanitizer);
}

Goroutine *Scheduler::create(bool isMain, std::size_t stackSize) {
  Goroutine *g = reuse();
  if (!g) {
    g = new Goroutine;
    heap::world::NoStopScope scope;
    std::lock_guard<std::mutex> lock(allMutex_);
    g->allNext = all_;
    all_ = g;
  }
  if (g->stack.high && g->stack.size() < stackSize) {
    releaseStack(g->stack);
    g->stack = {};
  }
  if (!g->stack.high)
    g->stack = allocateStack(stackSize);
  g->id = newId();
  g->isMain = isMain;
  g->waitReason.store(wait_reason::Runnable, std::memory_order_relaxed);
  g->sp = nullptr; // nothing to scan until start() sets it
  createFiber(g->sanitizer, g->stack.low, g->stack.high);
  countStart();
  // Last: the collector looks at a goroutine that is not dead.
  heap::world::NoStopScope scope;
  g->dead = false;
  return g;
}

void Scheduler::count(std::atomic<std::uint64_t> Worker::*own,
                      std::atomic<std::int64_t> &outside) {
  // A worker's counter has one writer: no locked instruction.
  if (Worker *worker = currentWorker) {
    std::atomic<std::uint64_t> &counter = worker->*own;
    counter.store(counter.load(std::memory_order_relaxed) + 1,
                  std::memory_order_relaxed);
  } else {
    outside.fetch_add(1, std::memory_order_relaxed);
  }
}

std::size_t Scheduler::live() {
  std::int64_t alive = outsideStarted.load(std::memory_order_relaxed) -
                       outsideFinished.load(std::memory_order_relaxed);
  for (std::size_t i = 0, count = workerCount_.load(); i < count; ++i) {
    Worker *worker = workers_[i].load();
    alive += static_cast<std::int64_t>(
        worker->started.load(std::memory_order_relaxed) -
        worker->finished.load(std::memory_order_relaxed));
  }
  return alive > 0 ? static_cast<std::size_t>(alive) : 0;
}

std::uint64_t Scheduler::newId() {
  // Ids come to each worker in batches (Go's goidcache): no shared counter
  // per goroutine.
  Worker *worker = currentWorker;
  if (!worker)
    return nextId_.fetch_add(1, std::memory_order_relaxed);
  if (worker->nextId == worker->endId) {
    worker->nextId = nextId_.fetch_add(IdBatch, std::memory_order_relaxed);
    worker->endId = worker->nextId + IdBatch;
  }
  return worker->nextId++;
}

Goroutine *Scheduler::reuse() {
  Worker *worker = currentWorker;
  if (worker && !worker->free) {
    // Refill this worker's list from the shared one.
    std::lock_guard<std::mutex> lock(freeMutex_);
    for (int i = 0; i < FreeBatch && free_; ++i) {
      Goroutine *g = std::exchange(free_, free_->nextFree);
      g->nextFree = worker->free;
      worker->free = g;
      ++worker->freeCount;
    }
  }
  if (worker && worker->free) {
    --worker->freeCount;
    return std::exchange(worker->free, worker->free->nextFree);
  }
  std::lock_guard<std::mutex> lock(freeMutex_);
  return free_ ? std::exchange(free_, free_->nextFree) : nullptr;
}

void Scheduler::discard(Goroutine *g) {
  g->isMain = false;
  destroy(g);
}

void Scheduler::destroy(Goroutine *g) {
  {
    heap::world::NoStopScope scope;
    g->dead = true;
  }
  destroyFiber(g->sanitizer);
  g->shrinkRequested.store(false, std::memory_order_relaxed);
  // A goroutine is reused with a stack of the starting size (Go's gfput);
  // with stackfaultonfree the stack is freed (and faults) for good.
  if (stacksFaultOnFree() || g->stack.size() != startingStackSize()) {
    releaseStack(g->stack, g->id, StackRelease::Exited);
    g->stack = {};
  }
  // The main goroutine stops counting when run() returns (mainReturned).
  if (!g->isMain)
    countFinish();
  Worker *worker = currentWorker;
  if (!worker) {
    // discard() on a thread that is not a worker.
    std::lock_guard<std::mutex> lock(freeMutex_);
    g->nextFree = std::exchange(free_, g);
    return;
  }
  g->nextFree = worker->free;
  worker->free = g;
  if (++worker->freeCount < 2 * FreeBatch)
    return;
  // Too many here: half to the shared list, for workers that create.
  std::lock_guard<std::mutex> lock(freeMutex_);
  for (int i = 0; i < FreeBatch; ++i) {
    Goroutine *moved = std::exchange(worker->free, worker->free->nextFree);
    moved->nextFree = free_;
    free_ = moved;
  }
  worker->freeCount -= FreeBatch;
}

void Scheduler::ready(Goroutine *g, bool next) {
  if (Worker *worker = currentWorker) {
    // A full local queue sends its older half to the global queue (Go's
    // runqputslow): the worker keeps running what it made last, so a tree
    // of goroutines unfolds depth first, not all at once.
    global_.pushAll(worker->queue.push(g, next));
  } else {
    global_.push(g);
  }
  // Someone looking for work will find it; otherwise wake a sleeper.
  if (idleCount_.load() && !spinning_.load())
    wakeOne();
}

/// Whether \p victim switches goroutines within a few microseconds (Go waits
/// 3 µs before it steals a run-next): then it runs its run-next goroutine
/// itself, and a ping-pong stays on one worker.
bool schedulingAgain(Worker *victim) {
  std::uint64_t before = victim->switches.load(std::memory_order_relaxed);
  for (Clock::time_point until = Clock::now() + std::chrono::microseconds(3);
       Clock::now() < until;)
    __builtin_ia32_pause();
  return victim->switches.load(std::memory_order_relaxed) != before;
}

Goroutine *Scheduler::steal(Worker *thief, bool takeRunNext) {
  std::size_t count = workerCount_.load();
  std::size_t start = thief->tick % count;
  for (std::size_t i = 0; i < count; ++i) {
    Worker *victim = workers_[(start + i) % count].load();
    if (!victim || victim == thief || !victim->queue.stealable(takeRunNext))
      continue;
    std::vector<Goroutine *> taken =
        victim->queue.takeHalf(takeRunNext && !schedulingAgain(victim));
    if (taken.empty())
      continue;
    global_.pushAll(thief->queue.pushAll({taken.begin() + 1, taken.end()}));
    return taken.front();
  }
  return nullptr;
}

bool Scheduler::anyWork() {
  if (!global_.empty())
    return true;
  for (std::size_t i = 0, count = workerCount_.load(); i < count; ++i)
    if (!workers_[i].load()->queue.empty())
      return true;
  return false;
}

Goroutine *Scheduler::tryFind(Worker *worker, bool takeRunNext) {
  // Now and then the global queue first, so it is never starved.
  Goroutine *g = ++worker->tick % 61 == 0 ? global_.pop() : nullptr;
  if (!g)
    g = worker->queue.pop();
  if (!g)
    g = global_.pop();
  if (!g)
    g = steal(worker, takeRunNext);
  return g;
}

Goroutine *Scheduler::findRunnable(Worker *worker) {
  bool spinning = false;
  unsigned spins = 0;
  auto stopSpinning = [&] {
    if (spinning)
      spinning_.fetch_sub(1);
    spinning = false;
  };
  for (Clock::time_point spinUntil = Clock::now() + SpinTime;;) {
    if (Goroutine *g = tryFind(worker, /*takeRunNext=*/false)) {
      // The last spinning worker to find work wakes another for the rest.
      if (spinning && spinning_.fetch_sub(1) == 1 && idleCount_.load() &&
          anyWork())
        wakeOne();
      return g;
    }
    // A worker looking for work a little longer costs less than putting it
    // to sleep and waking it for the next goroutine (Go's spinning M). One
    // spinning worker at a time is enough.
    if (!spinning && spinning_.load() == 0) {
      spinning = true;
      spinning_.fetch_add(1);
    }
    if (spinning && (++spins % 64 || Clock::now() < spinUntil)) {
      for (int i = 0; i < 16; ++i)
        __builtin_ia32_pause();
      continue;
    }
    stopSpinning();
    // ready() does not wake anyone while a worker spins: look once more,
    // taking even a goroutine about to run elsewhere.
    if (Goroutine *g = tryFind(worker, /*takeRunNext=*/true))
      return g;
    sleep(worker);
    spinning = true;
    spinning_.fetch_add(1);
    spinUntil = Clock::now() + SpinTime;
  }
}

void Scheduler::sleep(Worker *worker) {
  {
    std::lock_guard<std::mutex> lock(idleMutex_);
    worker->idle = true;
    idle_.push_back(worker);
    idleCount_.fetch_add(1);
  }
  // Work that arrived before this worker was listed as idle.
  bool work = anyWork();
  {
    std::lock_guard<std::mutex> lock(idleMutex_);
    if (work && worker->idle) {
      worker->idle = false;
      idle_.erase(std::find(idle_.begin(), idle_.end(), worker));
      idleCount_.fetch_sub(1);
      return;
    }
  }
  std::unique_lock<std::mutex> lock(worker->sleepMutex);
  worker->sleepCondition.wait(lock, [&] { return worker->woken; });
  worker->woken = false;
}

void Scheduler::wakeOne() {
  Worker *worker = nullptr;
  {
    std::lock_guard<std::mutex> lock(idleMutex_);
    if (idle_.empty())
      return;
    worker = idle_.back();
    idle_.pop_back();
    worker->idle = false;
    idleCount_.fetch_sub(1);
  }
  std::lock_guard<std::mutex> lock(worker->sleepMutex);
  worker->woken = true;
  worker->sleepCondition.notify_one();
}

/// For the collector: the top of the goroutine stack holding \p sp, where a
/// stopped thread runs a goroutine -- which is asked to shrink its stack if
/// it uses little of it, as suspended goroutines are.
bool goroutineStackTop(std::uintptr_t stackPointer, std::uintptr_t &top) {
  Stack stack;
  bool inGuard;
  if (!stackContaining(stackPointer, stack, inGuard) || inGuard)
    return false;
  top = stack.high;
  Scheduler::get().forEachRunning([&](Worker *, Goroutine *g) {
    if (g->stack.low == stack.low)
      requestShrinkIfIdle(*g, stackPointer);
  });
  return true;
}

/// For the collector: every goroutine's stack from where it left it.
void forEachGoroutineRange(void (*scan)(void *, std::uintptr_t, std::uintptr_t),
                           void *context) {
  struct Visit {
    void (*scan)(void *, std::uintptr_t, std::uintptr_t);
    void *context;
  } visit = {scan, context};
  Scheduler::get().forEachGoroutine(
      [](Goroutine *g, void *arg) {
        auto &visit = *static_cast<Visit *>(arg);
        // The function object is at the top of the stack.
        auto sp = reinterpret_cast<std::uintptr_t>(g->sp);
        if (sp < g->stack.low || sp >= g->stack.high)
          return;
        visit.scan(visit.context, sp, g->stack.high);
        // Go shrinks stacks while it scans them; a goroutine halves its
        // own at its next stack check, where nothing outside its stack
        // points into it.
        requestShrinkIfIdle(*g, sp);
      },
      &visit);
}

void Scheduler::runWorker(Worker *worker) {
  currentWorker = worker;
  worker->tid.store(static_cast<pid_t>(syscall(SYS_gettid)));
  heap::world::noteThreadStack();
  // The stack-overflow handler runs on a stack of its own.
  stack_t alternate = {};
  alternate.ss_sp = mmap(nullptr, AltStackSize, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  alternate.ss_size = AltStackSize;
  if (alternate.ss_sp != MAP_FAILED)
    sigaltstack(&alternate, nullptr);
  adoptThread(worker->sanitizer);
  worker->guardSlot = stackGuardSlot();
  ExceptionState &threadExceptions = *threadExceptionState();
  for (;;) {
    Goroutine *g = findRunnable(worker);
    worker->current = g;
    g->waitReason.store(nullptr, std::memory_order_relaxed);
    worker->switches.fetch_add(1, std::memory_order_relaxed);
    g->preemptRequested.store(false, std::memory_order_relaxed);
    setStackGuard(guardFor(*g));
    beforeSwitch(worker->sanitizer, g->sanitizer, /*fromEnds=*/false);
    enterExceptionState(threadExceptions, g->exceptions);
    gostack_switch_context(&worker->schedulerSp, g->sp);
    leaveExceptionState(threadExceptions, g->exceptions);
    afterSwitch(worker->sanitizer);
    setStackGuard(0);
    worker->current = nullptr;
    switch (worker->after) {
    case AfterSwitch::Yield:
      g->waitReason.store(wait_reason::Runnable, std::memory_order_relaxed);
      global_.push(g);
      break;
    case AfterSwitch::Park:
      g->waitReason.store(worker->parkReason, std::memory_order_relaxed);
      worker->parkUnlock(worker->parkArgument);
      break;
    case AfterSwitch::Exit:
      destroy(g);
      break;
    }
  }
}

Worker *Scheduler::addWorker() {
  std::size_t index = workerCount_.load();
  if (index >= MaxWorkers)
    return nullptr;
  auto *worker = new Worker;
  worker->index = static_cast<unsigned>(index);
  workers_[index].store(worker);
  workerCount_.fetch_add(1);
  std::thread([this, worker] {
    pthread_setname_np(pthread_self(), "gostack-worker");
    runWorker(worker);
  }).detach();
  return worker;
}

void Scheduler::startWorkers() {
  heap::checkRuntimeServesProcess();
#ifdef GOSTACK_ASAN
  // Goroutines keep their locals on their own stacks: a fake stack per
  // goroutine would be a mapping each (see docs/SCHEDULER.md).
  __asan_option_detect_stack_use_after_return = 0;
#endif
  heap::roots::setGoroutineStacks({goroutineStackTop, forEachGoroutineRange});
  heap::world::setStopRequestHook(
      [] { Scheduler::get().poisonRunningGuards(); });
  installStackOverflowHandler();
  installPanicOnTerminate();
  installQuitHandler();
  long procs = options::maxProcs();
  for (long i = 0; i < procs; ++i)
    addWorker();
  std::thread([this] { monitor(); }).detach();
}

void Scheduler::monitor() {
  pthread_setname_np(pthread_self(), "gostack-monitor");
  std::vector<std::uint64_t> lastSwitches(MaxWorkers);
  std::vector<long> stuckMs(MaxWorkers);
  int asleepTicks = 0;
  for (long pauseMs = 1;; pauseMs = std::min<long>(pauseMs * 2, 20)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs));
    if (quitRequested())
      dumpOnQuit();
    std::size_t count = workerCount_.load();
    bool someoneStuck = false, someoneRunning = false;
    for (std::size_t i = 0; i < count; ++i) {
      Worker *worker = workers_[i].load();
      std::uint64_t switches = worker->switches.load();
      bool running = worker->current.load() != nullptr;
      stuckMs[i] =
          running && switches == lastSwitches[i] ? stuckMs[i] + pauseMs : 0;
      lastSwitches[i] = switches;
      someoneRunning |= running;
      if (stuckMs[i] < StuckMs)
        continue;
      if (blockedInKernel(worker->tid))
        someoneStuck = true;
      else if (anyWork())
        preempt(worker);
    }
    if (someoneRunning)
      pauseMs = 1; // look closely while goroutines run
    // Goroutines wait while a worker is stuck and none is free: hand them
    // a new worker.
    if (someoneStuck && !idleCount_.load() && !spinning_.load() && anyWork()) {
      addWorker();
      std::fill(stuckMs.begin(), stuckMs.end(), 0);
    }
    // Twice in a row, so that no worker is merely between two goroutines.
    asleepTicks = allAsleep() ? asleepTicks + 1 : 0;
    if (asleepTicks >= 2)
      deadlock();
  }
}

void Scheduler::preempt(Worker *worker) {
  Goroutine *g = worker->current.load();
  if (!g)
    return;
  g->preemptRequested.store(true, std::memory_order_relaxed);
  poisonGuard(worker);
}

void Scheduler::poisonRunningGuards() {
  forEachRunning([](Worker *worker, Goroutine *) { poisonGuard(worker); });
}

bool Scheduler::allAsleep() {
  if (idleCount_.load() != workerCount_.load() || !mainAlive.load() ||
      !mainBlocked.load() || anyWork())
    return false;
  // A thread the runtime does not know may still wake a goroutine (send on
  // a channel): then it is not a deadlock (as Go with cgo threads).
  std::size_t known = workerCount_.load() + 1 /* monitor */ +
                      runCallers.load() + heap::finalizers::threadCount();
  return countThreads() <= known;
}

[[noreturn]] void goroutineMain(void *arg) {
  auto *g = static_cast<Goroutine *>(arg);
  afterSwitch(g->sanitizer);
  // No catch: an exception that leaves the goroutine finds no handler, so
  // std::terminate runs with the throwing frames still there (a panic,
  // faults.h).
  g->fn->run();
  // The main goroutine's function belongs to run(), which is waiting on it.
  if (!g->isMain)
    g->fn->~goroutine_fn();
  g->fn = nullptr;
  g->locals.destroyAll();
  switchToWorker(g, AfterSwitch::Exit);
  __builtin_unreachable();
}

} // namespace

thread_local int NoPreemptScope::depth = 0;

Goroutine *currentGoroutine() {
  Worker *worker = currentWorker;
  return worker ? worker->current.load(std::memory_order_relaxed) : nullptr;
}

/// Sets where \p g begins: \p fn, with its first frame below \p top.
void start(Goroutine *g, detail::goroutine_fn *fn, std::uintptr_t top) {
  g->fn = fn;
  heap::world::NoStopScope scope; // from here the collector scans it
  g->sp = makeContext(top, goroutineMain, g);
}

void spawn(std::size_t size, std::size_t align, detail::goroutine_builder build,
           void *arguments) {
  Scheduler &scheduler = Scheduler::get();
  scheduler.start();
  if (size > MaxFunctionBytes) {
    char message[160];
    std::snprintf(message, sizeof message,
                  "go: the function and its arguments take %zu bytes; at "
                  "most %zu fit on a new goroutine's stack",
                  size, MaxFunctionBytes);
    detail::fatal(message);
  }
  // The function object at the top, the native reserve at the bottom, and
  // room for a few frames between them.
  std::size_t stackSize = startingStackSize();
  while (stackSize < size + NativeReserve + MinStackSize / 4)
    stackSize *= 2;
  Goroutine *g = scheduler.create(/*isMain=*/false, stackSize);
  // As Go copies a go statement's arguments to the new stack: the function
  // object lives at the top of the goroutine's own stack, no allocation.
  std::uintptr_t where = (g->stack.high - size) & ~(align - 1);
  detail::goroutine_fn *fn;
  try {
    fn = build(reinterpret_cast<void *>(where), arguments);
  } catch (...) {
    scheduler.discard(g);
    throw;
  }
  start(g, fn, where);
  // A new goroutine runs next on this worker, as Go's newproc does.
  scheduler.ready(g, /*next=*/true);
}

void park(void (*unlock)(void *), void *argument, const char *reason) {
  Goroutine *g = currentGoroutine();
  Scheduler &scheduler = Scheduler::get();
  if (g->isMain)
    scheduler.mainBlocked.store(true);
  currentWorker->parkUnlock = unlock;
  currentWorker->parkArgument = argument;
  currentWorker->parkReason = reason;
  switchToWorker(g, AfterSwitch::Park);
  if (g->isMain)
    scheduler.mainBlocked.store(false);
}

void ready(Goroutine *g) { Scheduler::get().ready(g, /*next=*/true); }

void yieldNow() {
  if (Goroutine *g = currentGoroutine())
    switchToWorker(g, AfterSwitch::Yield);
}

bool onSystemStack() {
  Worker *worker = currentWorker;
  return worker && worker->onSystemStack;
}

void runOnSystemStack(void (*entry)(void *), void *arg) {
  Worker *worker = currentWorker;
  Goroutine *g =
      worker ? worker->current.load(std::memory_order_relaxed) : nullptr;
  if (!g || worker->onSystemStack) {
    entry(arg);
    return;
  }
  // Below the worker's suspended loop; the goroutine's frames stay where
  // they are, from the stack pointer saved in g->sp (for the collector).
  // Managed code here runs unchecked, as on any thread's own stack.
  std::uintptr_t guard = stackGuard();
  setStackGuard(0);
  worker->onSystemStack = true;
  gostack_call_on_stack(static_cast<char *>(worker->schedulerSp) - 64, entry,
                        arg, &g->sp);
  worker->onSystemStack = false;
  setStackGuard(guard);
}

Goroutine *startMain(detail::goroutine_fn *fn) {
  Scheduler &scheduler = Scheduler::get();
  scheduler.start();
  scheduler.runCallers.fetch_add(1);
  Goroutine *g = scheduler.create(/*isMain=*/true, startingStackSize());
  start(g, fn, g->stack.high);
  scheduler.mainAlive.store(true);
  scheduler.ready(g, /*next=*/false);
  return g;
}

void mainReturned() {
  Scheduler &scheduler = Scheduler::get();
  scheduler.mainAlive.store(false);
  scheduler.runCallers.fetch_sub(1);
  scheduler.countFinish();
}

std::size_t liveGoroutines() { return Scheduler::get().live(); }

void forEachGoroutine(void (*visit)(Goroutine *, void *), void *context) {
  Scheduler::get().forEachGoroutine(visit, context);
}

} // namespace gostack::sched
