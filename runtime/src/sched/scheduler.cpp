//===-- sched/scheduler.cpp - Goroutines on worker threads ----------------===//
//
// The worker loop (Go's schedule/findrunnable/execute): each worker, on its
// thread's own stack, finds a runnable goroutine -- every 61st time the
// global queue first, then its run-next slot and local queue, the global
// queue, half of another worker's queue -- switches to it, and when it
// switches back does what it asked (requeue, release the lock it parked
// under, recycle it). Out of work it spins 50 us, then sleeps until ready()
// wakes it.
//
// Invariants: a goroutine runs on at most one worker (the switch happens
// only from the worker that took it off a queue); a parked goroutine's lock
// is released only once it is off its stack, so whoever readies it cannot
// resume it while it still runs; the worker moves the goroutine's C++
// exception state into its thread before the switch and out after it.
//
//===----------------------------------------------------------------------===//

#include "sched/scheduler.h"
#include "core/options.h"
#include "core/os.h"
#include "core/sanitizers.h"
#include "heap/collector.h"
#include "heap/roots.h"
#include "heap/world.h"
#include "sched/context.h"
#include "sched/faults.h"
#include "sched/stack_guard.h"
#include "sched/stack_walk.h"
#include "sched/traceback.h"
#include "sched/workers.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace gostack::sched {
namespace {

constexpr std::size_t AltStackSize = 64 << 10;
/// The largest function object (with its arguments) go() copies to a new
/// goroutine's stack.
constexpr std::size_t MaxFunctionBytes = 16 << 10;
/// How long a worker out of work keeps looking before it sleeps.
constexpr std::chrono::microseconds SpinTime{50};

using Clock = std::chrono::steady_clock;

} // namespace

[[gnu::tls_model("initial-exec")]] thread_local Worker *currentWorker = nullptr;

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
static bool schedulingAgain(Worker *victim) {
  std::uint64_t before = victim->switches.load(std::memory_order_relaxed);
  for (Clock::time_point until = Clock::now() + std::chrono::microseconds(3);
       Clock::now() < until;)
    __builtin_ia32_pause();
  return victim->switches.load(std::memory_order_relaxed) != before;
}

Goroutine *Scheduler::keep(Worker *worker, std::vector<Goroutine *> taken) {
  if (taken.empty())
    return nullptr;
  global_.pushAll(worker->queue.pushAll({taken.begin() + 1, taken.end()}));
  return taken.front();
}

Goroutine *Scheduler::takeShare(Worker *worker) {
  return keep(worker, global_.popShare(workerCount_.load()));
}

Goroutine *Scheduler::steal(Worker *thief, bool takeRunNext) {
  std::size_t count = workerCount_.load();
  std::size_t start = thief->tick % count;
  for (std::size_t i = 0; i < count; ++i) {
    Worker *victim = workers_[(start + i) % count].load();
    if (!victim || victim == thief || !victim->queue.stealable(takeRunNext))
      continue;
    if (Goroutine *g =
            keep(thief, victim->queue.takeHalf(takeRunNext &&
                                               !schedulingAgain(victim))))
      return g;
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
  // Now and then the global queue first, so it is never starved. Counted
  // as Go's schedtick: in time slices, which a goroutine run next
  // continues (it was just readied by the one before). Counting every
  // switch would take the oldest goroutines -- in a tree that unfolds,
  // the roots of the largest subtrees -- too early: skynet kept twice as
  // many goroutines alive.
  Goroutine *g = worker->tick % 61 == 0 ? global_.pop() : nullptr;
  if (!g) {
    if (Goroutine *next = worker->queue.popNext())
      return next; // the same slice: not counted
    g = worker->queue.popOldest();
  }
  if (!g)
    g = takeShare(worker);
  if (!g)
    g = steal(worker, takeRunNext);
  if (g)
    ++worker->tick;
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

void Scheduler::runWorker(Worker *worker) {
  currentWorker = worker;
  worker->tid.store(static_cast<pid_t>(syscall(SYS_gettid)));
  heap::world::noteThreadStack();
  // The stack-overflow handler runs on a stack of its own.
  stack_t alternate = {};
  alternate.ss_sp = os::map(AltStackSize);
  alternate.ss_size = AltStackSize;
  if (alternate.ss_sp)
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
    setRunningStack(g->stack);
    beforeSwitch(worker->sanitizer, g->sanitizer, /*fromEnds=*/false);
    enterExceptionState(threadExceptions, g->exceptions);
    gostack_switch_context(&worker->schedulerSp, g->sp);
    leaveExceptionState(threadExceptions, g->exceptions);
    afterSwitch(worker->sanitizer);
    setStackGuard(0);
    setRunningStack({});
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
  heap::roots::setGoroutineStacks(
      {goroutineStackTop, forEachGoroutineStack, forEachRootRange});
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

[[noreturn]] void goroutineMain(void *arg) {
  auto *g = static_cast<Goroutine *>(arg);
  afterSwitch(g->sanitizer);
  // No catch: an exception that leaves the goroutine finds no handler, so
  // std::terminate runs with the throwing frames still there (a panic,
  // faults.h). Nothing here is kept across the call in a register but g,
  // which is not in the GC heap nor on the stack (stack_walk.h).
  gostack_run_goroutine_fn(g->fn);
  // The main goroutine's function belongs to run(), which is waiting on it.
  if (!g->isMain)
    g->fn->~goroutine_fn();
  g->fn = nullptr;
  g->locals.destroyAll();
  switchToWorker(g, AfterSwitch::Exit);
  __builtin_unreachable();
}

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
  // And as newproc's own stack check, a go statement is a preemption
  // point: a loop that only starts goroutines lets them run.
  if (Goroutine *self = currentGoroutine())
    yieldIfPreempted(self);
}

void yieldIfPreempted(Goroutine *g) {
  if (g->preemptRequested.exchange(false, std::memory_order_relaxed) &&
      preemptible() && !onSystemStack())
    yieldNow();
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

} // namespace gostack::sched
