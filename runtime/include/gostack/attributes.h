//===-- gostack/attributes.h - Marks the plugin reads -----------*- C++ -*-===//
//
/// \file
/// The attributes gostack's code is marked with, spelled so that every
/// compiler accepts them (empty elsewhere than Clang).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_ATTRIBUTES_H
#define GOSTACK_ATTRIBUTES_H

/// Marks a function managed, like [[gostack::managed]], in a spelling that
/// every compiler and editor accepts without a warning (clangd never loads
/// plugins). The plugin treats both spellings alike.
#if defined(__clang__)
#define GOSTACK_MANAGED [[clang::annotate("gostack.managed")]]
/// A pointer parameter the function does not keep: asking about an address
/// does not move the variable to the heap.
#define GOSTACK_NOESCAPE [[clang::noescape]]
/// A function that can park its goroutine, which may then resume on another
/// worker thread: the plugin warns about thread_local variables used after
/// a call to it (docs/SCHEDULER.md, "C++ runtime state").
#define GOSTACK_MAY_PARK [[clang::annotate("gostack.may_park")]]
/// Internal: a function of gostack's own headers that is managed so that
/// goroutine stacks have stack maps end to end, but that alone does not
/// make a program's goroutines start on small stacks.
#define GOSTACK_MANAGED_ENTRY                                                  \
  [[clang::annotate("gostack.managed"), clang::annotate("gostack.entry")]]
#else
#define GOSTACK_MANAGED
#define GOSTACK_NOESCAPE
#define GOSTACK_MAY_PARK
#define GOSTACK_MANAGED_ENTRY
#endif

#endif // GOSTACK_ATTRIBUTES_H
