//===-- gostack/gostack.h - Go's memory model for C++ -----------*- C++ -*-===//
//
/// \file
/// The whole public API of the gostack runtime (CONTRACT section 4).
///
/// Code written against this header compiles with any C++20 compiler. Built
/// with Clang 19 and -fplugin=libgostack-plugin.so, managed functions also
/// get escape analysis, stack allocation of non-escaping go_new objects and
/// growable stacks.
///
/// By part: memory.h (go_new, gc, read_mem_stats), goroutines.h (go, run,
/// yield, systemstack, goroutine_local), channels.h (chan, select), sync.h
/// (wait_group), attributes.h (GOSTACK_MANAGED, GOSTACK_NOESCAPE,
/// GOSTACK_MAY_PARK).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_GOSTACK_H
#define GOSTACK_GOSTACK_H

#include "gostack/attributes.h"
#include "gostack/channels.h"
#include "gostack/goroutines.h"
#include "gostack/memory.h"
#include "gostack/sync.h"

#endif // GOSTACK_GOSTACK_H
