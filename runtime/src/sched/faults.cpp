//===-- sched/faults.cpp - Go's fatal errors for goroutines ---------------===//

#include "sched/faults.h"
#include "core/fatal.h"
#include "sched/goroutine.h"
#include "sched/stack_growth.h"
#include "sched/stack_guard.h"
#include "sched/traceback.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cxxabi.h>
#include <dlfcn.h>
#include <exception>
#include <typeinfo>
#include <unistd.h>

namespace gostack::sched {

void panic(const char *message) {
  std::string text = std::string("panic: ") + message + "\n";
  core::die(text.c_str(), core::Trailer::Current);
}

namespace {

// Fatal errors print goroutine tracebacks from the moment this file is in
// the program (core/fatal.h cannot know goroutines).
[[maybe_unused]] const bool tracebacksRegistered =
    (core::setTracebackPrinter(printTraceback), true);

std::terminate_handler previousTerminate;

void onTerminate() {
  if (currentGoroutine() && std::current_exception())
    panic(("uncaught exception " + describeCurrentException()).c_str());
  previousTerminate();
}

struct sigaction previousFaultAction;

/// Only freed stacks fault outside their guard (stackfaultonfree): a
/// pointer into a stack was kept where the runtime does not adjust it.
[[noreturn]] void touchedReleasedStack(std::uintptr_t address) {
  std::uint64_t owner = 0;
  StackRelease why = StackRelease::Exited;
  bool known = findReleasedStack(address, owner, why);
  Goroutine *g = currentGoroutine();
  unsigned long long self = g ? g->id : 0;
  const char *event = why == StackRelease::Moved ? "after it moved"
                                                 : "after its goroutine exited";
  char message[1024];
  int length;
  if (known && g && owner == g->id)
    length = std::snprintf(message, sizeof message,
                           "fatal error: goroutine %llu touched its old stack "
                           "at %p %s\n",
                           self, reinterpret_cast<void *>(address), event);
  else if (known)
    length = std::snprintf(
        message, sizeof message,
        "fatal error: %s %llu touched the old stack of goroutine %llu at %p "
        "%s\n",
        g ? "goroutine" : "thread", g ? self : 0ULL,
        static_cast<unsigned long long>(owner),
        reinterpret_cast<void *>(address), event);
  else
    length = std::snprintf(message, sizeof message,
                           "fatal error: touched a freed goroutine stack at "
                           "%p\n",
                           reinterpret_cast<void *>(address));
  UnnamedWord word;
  if (unnamedWordAt(address, word)) {
    Dl_info info{};
    dladdr(reinterpret_cast<void *>(word.returnAddress), &info);
    length += std::snprintf(
        message + length, sizeof message - std::size_t(length),
        "fatal error: stack map check: it went through %#lx, the word at "
        "[sp+%ld] of the frame returning to %#lx (%s+%#lx, in %s), which its "
        "stack map does not name\n",
        static_cast<unsigned long>(word.value), static_cast<long>(word.offset),
        static_cast<unsigned long>(word.returnAddress),
        info.dli_fname ? info.dli_fname : "??",
        static_cast<unsigned long>(
            word.returnAddress -
            reinterpret_cast<std::uintptr_t>(info.dli_fbase)),
        info.dli_sname ? info.dli_sname : "an unexported function");
  }
  length += std::snprintf(
      message + length, sizeof message - std::size_t(length),
      "(a pointer into a goroutine's stack was kept where the runtime does "
      "not adjust it when the stack moves: in unmanaged code's memory or as "
      "an integer. Go's cgo rule: unmanaged code must not keep a pointer to "
      "a goroutine's stack beyond the call; see docs/STACKS.md)\n");
  core::die(message, core::Trailer::Current);
}

/// A fault in a goroutine stack's guard is a stack overflow: Go's message,
/// not a silent crash. Anything else goes to the handler before ours.
void onFault(int signal, siginfo_t *info, void *context) {
  Stack stack;
  bool inGuard = false;
  auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
  Goroutine *g = currentGoroutine();
  if (stackContaining(address, stack, inGuard) && inGuard) {
    // Managed code grows the stack before it gets here: this is code
    // without checks that went through the reserve below the guard -- its
    // own guard, or, with a frame larger than the guard and no probes,
    // another stack's.
    char message[512];
    if (g && stack.low == g->stack.low)
      std::snprintf(message, sizeof message,
                    "fatal error: stack overflow\n\ngoroutine %llu: code "
                    "without stack checks overflowed its %zu-byte stack "
                    "(native code called from managed code has %zu bytes; run "
                    "deep native code in gostack::systemstack)\n",
                    static_cast<unsigned long long>(g->id), stack.size(),
                    NativeReserve);
    else
      std::snprintf(message, sizeof message,
                    "fatal error: stack overflow\n\n%s %llu: a frame of code "
                    "without stack checks or probes stepped over its stack's "
                    "guard to %p, another stack's guard (frames larger than "
                    "the %zu-byte guard need probes: compile that code with "
                    "the plugin or -fstack-clash-protection, or run it in "
                    "gostack::systemstack)\n",
                    g ? "goroutine" : "thread",
                    static_cast<unsigned long long>(g ? g->id : 0),
                    reinterpret_cast<void *>(address), StackGuardSize);
    core::die(message, core::Trailer::Current);
  }
  if (stackContaining(address, stack, inGuard))
    touchedReleasedStack(address);
  if (previousFaultAction.sa_flags & SA_SIGINFO) {
    previousFaultAction.sa_sigaction(signal, info, context);
    return;
  }
  if (previousFaultAction.sa_handler != SIG_DFL &&
      previousFaultAction.sa_handler != SIG_IGN) {
    previousFaultAction.sa_handler(signal);
    return;
  }
  // The default action, when the faulting instruction runs again.
  std::signal(signal, SIG_DFL);
}

} // namespace

void installStackOverflowHandler() {
  struct sigaction action = {};
  action.sa_sigaction = onFault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &previousFaultAction);
}

void installPanicOnTerminate() {
  if (std::get_terminate() == __gnu_cxx::__verbose_terminate_handler)
    previousTerminate = std::set_terminate(onTerminate);
}

std::string describeCurrentException() {
  std::string what = "unknown exception";
  if (const std::type_info *type = abi::__cxa_current_exception_type()) {
    int status = 0;
    char *name = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
    what = status == 0 ? name : type->name();
    std::free(name);
  }
  try {
    throw;
  } catch (const std::exception &error) {
    what += ": ";
    what += error.what();
  } catch (...) {
  }
  return what;
}

} // namespace gostack::sched
