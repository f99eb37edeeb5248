//===-- sched/stack_growth.cpp - Growing stacks by copying ----------------===//

#include "sched/stack_growth.h"
#include "core/fatal.h"
#include "core/options.h"
#include "core/sanitizers.h"
#include "heap/collector.h"
#include "heap/frame_storage.h"
#include "heap/world.h"
#include "sched/scheduler.h"
#include "sched/stack_walk.h"
#include "sched/traceback.h"

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <optional>
#include <unistd.h>

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
  Stack to = {};
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

std::uintptr_t adjustWord(std::uintptr_t word, const void *move);

/// A stack move: words pointing into the old stack are adjusted by delta.
struct Move {
  std::uintptr_t low;        ///< the old stack
  std::size_t size;          ///< its size
  std::uintptr_t negatedLow; ///< where -word may point to, and how far
  std::size_t negatedSize;
  std::uintptr_t delta; ///< new stack - old stack, modulo 2^64
  std::uintptr_t guard; ///< glibc's pointer guard
  /// Shown each copied word that may point into the GC heap; adjusts the
  /// frame objects found by this move's adjustWord.
  heap::FrameStorageAdjuster frameStorage;

  Move(const Stack &from, const Stack &to)
      : low(from.low), size(from.size()),
        negatedLow(from.low - NegatedPointerSlack),
        negatedSize(from.size() + 2 * NegatedPointerSlack),
        delta(to.high - from.high), guard(pointerGuard()),
        frameStorage(adjustWord, this) {}

  /// A word copied as it is: the frames' variables in the GC heap move
  /// with the stack, and are found here, in the same pass as the copy.
  void noteCopied(std::uintptr_t word) {
    if (frameStorage.inHeapRange(word))
      frameStorage.note(word);
  }
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

/// Copies the words of the old stack in [begin, end) as they are: a frame
/// or two of words, too few for a call of memcpy to pay (no_builtin keeps
/// the loop from becoming one).
[[clang::no_builtin("memcpy")]] void copyWords(std::uintptr_t begin,
                                               std::uintptr_t end, Move &move) {
  for (std::uintptr_t slot = begin; slot < end; slot += 8) {
    std::uintptr_t word = *reinterpret_cast<const std::uintptr_t *>(slot);
    *reinterpret_cast<std::uintptr_t *>(slot + move.delta) = word;
    move.noteCopied(word);
  }
}

/// Where a word of the old stack lands, adjusted.
void adjustAt(std::uintptr_t slot, Move &move) {
  std::uintptr_t word = *reinterpret_cast<const std::uintptr_t *>(slot);
  std::uintptr_t adjusted = adjustWord(word, &move);
  *reinterpret_cast<std::uintptr_t *>(slot + move.delta) = adjusted;
  if (adjusted == word)
    move.noteCopied(word);
}

/// Copies the words of the old stack in [begin, end) to the new one,
/// adjusting each as adjustWord says.
GOSTACK_SCANS_FOREIGN_MEMORY void
copyAdjusting(std::uintptr_t begin, std::uintptr_t end, Move &move) {
  for (std::uintptr_t slot = begin; slot < end; slot += 8)
    adjustAt(slot, move);
}

/// GOSTACK_DEBUG=stackcheck: the words of managed frames that pointed into
/// the old stack but that no map named, so were left as they were. Most are
/// stale (a dead spill, padding); one that is used reads the freed old
/// stack, which faults, and the fault names it (unnamedWordAt).
constexpr std::size_t UnnamedWordsKept = 4096;
UnnamedWord unnamedWords[UnnamedWordsKept];
std::atomic<std::size_t> unnamedWordCount{0};

void noteUnnamedWord(const ManagedFrame &frame, std::uintptr_t slot,
                     std::uintptr_t word) {
  std::size_t index = unnamedWordCount.fetch_add(1, std::memory_order_relaxed);
  unnamedWords[index % UnnamedWordsKept] = {
      word, returnAddressOf(*frame.site),
      static_cast<std::intptr_t>(slot - frame.sp)};
}

/// Whether \p frame's map names \p slot: the words of its
/// callee-saved registers, an object, a live pointer, or a slot that holds
/// pointers at its function's other calls (a stale value, dead here).
bool mapNames(const ManagedFrame &frame, std::uintptr_t slot) {
  if (slot >= frame.calleeSavedBegin() && slot < frame.returnSlot())
    return true;
  for (const StackMapObject &object : objectsOf(*frame.site))
    if (slot - (frame.sp + object.Offset) < object.Size)
      return true;
  for (auto slots : {pointersOf(*frame.site), deadSlotsOf(*frame.site)})
    for (std::int32_t offset : slots)
      if (slot == frame.sp + offset)
        return true;
  return false;
}

/// GOSTACK_DEBUG=stackcheck=1: notes every word of a managed frame that the
/// word by word rule would adjust but that neither its map nor its
/// callee's (arguments passed on the stack lie in the caller's frame) names.
void checkFrameAgainstMap(const ManagedFrame &frame, const ManagedFrame *callee,
                          Move &move) {
  for (std::uintptr_t slot = frame.sp; slot < frame.returnSlot(); slot += 8) {
    std::uintptr_t word = *reinterpret_cast<const std::uintptr_t *>(slot);
    if (adjustWord(word, &move) != word && !mapNames(frame, slot) &&
        !(callee && mapNames(*callee, slot)))
      noteUnnamedWord(frame, slot, word);
  }
}

/// Copies the used part of \p from as copyAdjusting does, but adjusts only
/// what the stack maps name in managed frames; false, having
/// done nothing, when the maps do not describe the stack.
bool copyByMaps(const SaveArea &save, const Stack &from, Move &move) {
  auto usedFrom = reinterpret_cast<std::uintptr_t>(&save);
  auto firstReturnSlot =
      reinterpret_cast<std::uintptr_t>(&save.resumeAddress + 1);
  ManagedFrames frames;
  if (!findManagedFrames(firstReturnSlot, from.high, frames))
    return false;
  static const bool check = options::debugEnabled("stackcheck");
  // Below the chain: the save area, and any native frames between it and
  // the chain.
  copyAdjusting(usedFrom, frames.inner, move);
  std::optional<ManagedFrame> callee;
  forEachManagedFrame(frames, [&](const ManagedFrame &frame) {
    if (check)
      checkFrameAgainstMap(frame, callee ? &*callee : nullptr, move);
    callee = frame;
    // The frame, from its callee's return address up: copied as it is but
    // for its saved registers, then what the map names adjusted. Frame by
    // frame, the adjusting reads what the copy just brought into the cache.
    copyWords(frame.sp - 8, frame.calleeSavedBegin(), move);
    copyAdjusting(frame.calleeSavedBegin(), frame.returnSlot(), move);
    for (const StackMapObject &object : objectsOf(*frame.site))
      copyAdjusting(frame.sp + object.Offset,
                    frame.sp + object.Offset + object.Size, move);
    for (std::int32_t pointer : pointersOf(*frame.site))
      adjustAt(frame.sp + pointer, move);
  });
  copyAdjusting(frames.outer, from.high, move);
  return true;
}

/// The goroutine's stack is copied to request.to. The old one is released
/// by gostack_morestack_done, once nothing runs on it.
void copyStack(void *argument) {
  auto &request = *static_cast<MoveRequest *>(argument);
  Goroutine &g = *request.g;
  Stack from = g.stack, to = request.to;
  auto usedFrom = reinterpret_cast<std::uintptr_t>(request.save);
  Move move(from, to);
  std::uintptr_t delta = move.delta;
  {
    // The collector sees the goroutine on one stack or the other, whole.
    heap::world::NoStopScope scope;
    if (!copyByMaps(*request.save, from, move))
      copyAdjusting(usedFrom, from.high, move);
    // The only pointers into a running goroutine's stack kept outside it.
    auto fn = reinterpret_cast<std::uintptr_t>(g.fn);
    if (fn - from.low <= from.size())
      g.fn = reinterpret_cast<detail::goroutine_fn *>(fn + delta);
    g.stack = to;
    g.sp = reinterpret_cast<void *>(usedFrom + delta);
    if (g.lends.high) {
      g.lends.low += delta;
      g.lends.high += delta;
    }
  }
  setRunningStack(to);
  g.sanitizer.stackBottom = reinterpret_cast<const void *>(to.low);
  g.sanitizer.stackSize = to.size();
  g.retiredStack = from;
  copies.fetch_add(1, std::memory_order_relaxed);
  request.moved = reinterpret_cast<SaveArea *>(usedFrom + delta);
}

/// On the worker's own stack: moves the goroutine's stack to a new one of
/// request.newSize bytes.
void moveStack(void *argument) {
  auto &request = *static_cast<MoveRequest *>(argument);
  // Allocation may lock and call the kernel: before the no-stop scope.
  request.to = allocateStack(request.newSize);
  copyStack(&request);
}

/// moveStack for a goroutine that lent addresses in its stack to code that
/// keeps them (lent_addresses.h): the copies kept outside the stack, from
/// the lowest live lend up, move too, while the world is stopped. The top
/// itself is no lent object's address but the old stack's end, which the
/// runtime keeps (the retired stack).
void moveStackWithLends(void *argument) {
  auto &request = *static_cast<MoveRequest *>(argument);
  Goroutine &g = *request.g;
  request.to = allocateStack(request.newSize);
  std::uintptr_t from =
      std::max(g.lends.low, reinterpret_cast<std::uintptr_t>(request.save));
  heap::Collector::get().moveStackWorldStopped(
      copyStack, &request, from, g.stack.high, request.to.high - g.stack.high);
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
/// collector asked and it fits, the same under stackmove -- but while a
/// lend lives, when a move stops the world (lent_addresses.h), stackmove
/// moves only when the stack must grow or shrink.
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
  return movesAtEveryCheck() && !g.lends.high ? size : 0;
}

} // namespace

std::uint64_t stackCopies() { return copies.load(std::memory_order_relaxed); }

bool unnamedWordAt(std::uintptr_t address, UnnamedWord &found) {
  // The word a faulting access most likely went through: the highest value
  // at or below the address, within a page (a field of what it points to).
  constexpr std::uintptr_t Reach = 4096;
  bool any = false;
  std::size_t count = std::min(unnamedWordCount.load(std::memory_order_relaxed),
                               UnnamedWordsKept);
  for (std::size_t i = 0; i < count; ++i) {
    const UnnamedWord &word = unnamedWords[i];
    if (address - word.value < Reach && (!any || word.value > found.value)) {
      found = word;
      any = true;
    }
  }
  return any;
}

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
  yieldIfPreempted(g);
  g->lends.forgetBelow(reinterpret_cast<std::uintptr_t>(save));
  auto entry = reinterpret_cast<std::uintptr_t>(&save->resumeAddress + 1);
  std::size_t newSize = sizeAfterCheck(*g, g->stack.high - entry, save->r10);
  if (newSize) {
    MoveRequest request{g, save, newSize};
    runOnSystemStack(g->lends.high ? moveStackWithLends : moveStack, &request);
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
