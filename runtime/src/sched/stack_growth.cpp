//===-- sched/stack_growth.cpp - Growing stacks by copying ----------------===//

#include "sched/stack_growth.h"
#include "core/fatal.h"
#include "core/options.h"
#include "core/sanitizers.h"
#include "heap/frame_storage.h"
#include "heap/world.h"
#include "sched/scheduler.h"
#include "sched/traceback.h"

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdio>
#include <unistd.h>

/// Defined by the plugin in every object with managed code.

namespace gostack::sched {
namespace {

std::atomic<std::uint64_t> copies{0};

/// How far from the stack `c - p` may land for a pointer p into it and a
/// constant c and still be recognised (the size of a guard region).
constexpr std::size_t NegatedPointerSlack = std::size_t(64) << 10;

/// What moveStack needs, and what it answers.
struct MoveRequest {
  Goroutine *g;
  SaveArea *save;
  std::size_t newSize;
  SaveArea *moved = nullptr;
};

/// glibc's pointer guard (tcbhead_t::pointer_guard, the same in every
/// thread): setjmp and friends store the stack and frame pointers mangled,
/// rol(pointer ^ guard, 17), so that a saved jmp_buf does not look like one.
std::uintptr_t pointerGuard() {
  std::uintptr_t guard;
  asm("mov %%fs:0x30, %0" : "=r"(guard));
  return guard;
}

std::uintptr_t mangle(std::uintptr_t pointer, std::uintptr_t guard) {
  return std::rotl(pointer ^ guard, 17);
}

std::uintptr_t demangle(std::uintptr_t word, std::uintptr_t guard) {
  return std::rotr(word, 17) ^ guard;
}

/// A stack move: words pointing into the old stack are adjusted by delta.
struct Move {
  std::uintptr_t low;        ///< the old stack
  std::size_t size;          ///< its size
  std::uintptr_t negatedLow; ///< where -word may point to, and how far
  std::size_t negatedSize;
  std::uintptr_t delta; ///< new stack - old stack, modulo 2^64
  std::uintptr_t guard; ///< glibc's pointer guard

  Move(const Stack &from, const Stack &to)
      : low(from.low), size(from.size()),
        negatedLow(from.low - NegatedPointerSlack),
        negatedSize(from.size() + 2 * NegatedPointerSlack),
        delta(to.high - from.high), guard(pointerGuard()) {}
};

/// \p word, adjusted if it points into the old stack (its top included: a
/// one-past-the-end pointer), or if its negation points into it or near it
/// (within one guard's size): optimisers keep `q - p` as `q + (-p)` across
/// calls, and -p moves the other way (docs/STACKS.md, "What is adjusted").
/// A pointer mangled by glibc (a jmp_buf's stack and frame pointers) is
/// adjusted mangled: a longjmp after the move lands on the new stack. A
/// word that is not one demangles to a random value, in the stack with the
/// odds of size / 2^64.
std::uintptr_t adjustWord(std::uintptr_t word, const void *move) {
  const Move &m = *static_cast<const Move *>(move);
  if (word - m.low <= m.size)
    return word + m.delta;
  if (-word - m.negatedLow <= m.negatedSize)
    return word - m.delta;
  std::uintptr_t demangled = demangle(word, m.guard);
  if (demangled - m.low <= m.size)
    return mangle(demangled + m.delta, m.guard);
  return word;
}

/// Copies the used part of \p from to the same distance from the top of
/// \p to, adjusting every word as adjustWord says.
GOSTACK_SCANS_FOREIGN_MEMORY void
copyAdjusting(std::uintptr_t usedFrom, const Stack &from, const Move &move) {
  auto *source = reinterpret_cast<const std::uintptr_t *>(usedFrom);
  auto *end = reinterpret_cast<const std::uintptr_t *>(from.high);
  auto *target = reinterpret_cast<std::uintptr_t *>(usedFrom + move.delta);
  for (; source != end; ++source, ++target)
    *target = adjustWord(*source, &move);
}

/// On the worker's own stack: the goroutine's stack is copied to a new one
/// of request.newSize bytes. The old one is released by
/// gostack_morestack_done, once nothing runs on it.
void moveStack(void *argument) {
  auto &request = *static_cast<MoveRequest *>(argument);
  Goroutine &g = *request.g;
  Stack from = g.stack;
  // Allocation may lock and call the kernel: before the no-stop scope.
  Stack to = allocateStack(request.newSize);
  auto usedFrom = reinterpret_cast<std::uintptr_t>(request.save);
  Move move(from, to);
  std::uintptr_t delta = move.delta;
  {
    // The collector sees the goroutine on one stack or the other, whole.
    heap::world::NoStopScope scope;
    copyAdjusting(usedFrom, from, move);
    // The frames' variables that live in the GC heap move with them.
    heap::adjustFrameStorage(
        reinterpret_cast<const std::uintptr_t *>(usedFrom + delta),
        reinterpret_cast<const std::uintptr_t *>(to.high), adjustWord, &move);
    // The only pointers into a running goroutine's stack kept outside it.
    auto fn = reinterpret_cast<std::uintptr_t>(g.fn);
    if (fn - from.low <= from.size())
      g.fn = reinterpret_cast<detail::goroutine_fn *>(fn + delta);
    g.stack = to;
    g.sp = reinterpret_cast<void *>(usedFrom + delta);
  }
  g.sanitizer.stackBottom = reinterpret_cast<const void *>(to.low);
  g.sanitizer.stackSize = to.size();
  g.retiredStack = from;
  copies.fetch_add(1, std::memory_order_relaxed);
  request.moved = reinterpret_cast<SaveArea *>(usedFrom + delta);
}

[[noreturn]] void stackLimitExceeded(const Goroutine &g) {
  // Go's words; on the goroutine's stack, inside its native reserve.
  char message[160];
  std::snprintf(message, sizeof message,
                "runtime: goroutine %llu stack exceeds %zu-byte limit\n"
                "fatal error: stack overflow\n",
                static_cast<unsigned long long>(g.id), MaxStackSize);
  core::die(message, core::Trailer::Current);
}

/// The size the stack moves to, or 0 to stay: large enough for the frame
/// that asked plus the native reserve (doubling, as Go), half when the
/// collector asked and it fits, the same under stackmove.
std::size_t sizeAfterCheck(Goroutine &g, std::size_t used, std::size_t frame) {
  std::size_t size = g.stack.size();
  bool shrink = g.shrinkRequested.exchange(false, std::memory_order_relaxed);
  std::size_t needed = used + frame + NativeReserve;
  if (needed > size) {
    if (needed > MaxStackSize)
      stackLimitExceeded(g);
    while (size < needed)
      size *= 2;
    return size;
  }
  if (shrink && size > startingStackSize() && needed <= size / 2)
    return size / 2;
  return movesAtEveryCheck() ? size : 0;
}

} // namespace

std::uint64_t stackCopies() { return copies.load(std::memory_order_relaxed); }

} // namespace gostack::sched

using namespace gostack::sched;

extern "C" SaveArea *gostack_morestack(SaveArea *save) {
  // Not on a goroutine's stack: a check lld made unconditional, or managed
  // code inside systemstack whose guard the monitor poisoned just as the
  // worker left the goroutine's stack. Nothing can grow there.
  Goroutine *g = currentGoroutine();
  if (!g || onSystemStack()) {
    setStackGuard(0);
    return save;
  }
  // The collector poisons every running goroutine's guard when it stops
  // the world: stop here, all registers saved on the stack.
  gostack::heap::world::stopAtStackCheck();
  if (g->preemptRequested.exchange(false, std::memory_order_relaxed) &&
      preemptible())
    yieldNow();
  auto entry = reinterpret_cast<std::uintptr_t>(&save->resumeAddress + 1);
  std::size_t newSize = sizeAfterCheck(*g, g->stack.high - entry, save->r10);
  if (newSize) {
    MoveRequest request{g, save, newSize};
    runOnSystemStack(moveStack, &request);
    save = request.moved;
  }
  setStackGuard(guardFor(*g));
  // A stop that began since the first look poisoned the guard just
  // overwritten: look again, after the write.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  gostack::heap::world::stopAtStackCheck();
  return save;
}

/// The split-stack prologue's answer to a dynamic alloca (a variable-length
/// array) that does not fit above the guard: memory from the GC heap, kept
/// while the frame points to it, instead of a stack move in the middle of a
/// function body.
extern "C" void *__morestack_allocate_stack_space(std::size_t size) {
  return gostack::detail::gc_alloc_frame(size, alignof(std::max_align_t));
}

extern "C" void gostack_morestack_done() {
  Goroutine *g = currentGoroutine();
  if (!g->retiredStack.high)
    return;
  releaseStack(g->retiredStack, g->id, StackRelease::Moved);
  g->retiredStack = {};
  movedStack(g->sanitizer);
}
