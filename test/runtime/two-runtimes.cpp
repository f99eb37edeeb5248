// The runtime may live in a shared library linked at startup, but only
// once per process: an executable linking libgostack that loads a library
// linking its own copy stops with a message naming both, instead of two
// collectors each freeing what only the other sees. (The runtime's static
// TLS is small enough for dlopen to load it at all.) Loaded with dlopen,
// the runtime cannot replace malloc, so its collector could not see the C
// heap: it says so and stops (not under sanitizers, whose allocator hooks
// see every block).
// RUN: %plain_cxx -fPIC -shared -DLIBRARY %s -o %t.so %gostack_link
// RUN: %plain_cxx -DHOST_WITHOUT_RUNTIME -DLINKED %s -o %t.linked %t.so \
// RUN:   -Wl,-rpath,%T
// RUN: %t.linked | FileCheck %s --check-prefix=ONE
// RUN: %plain_cxx -DHOST_WITHOUT_RUNTIME %s -o %t.alone -ldl
// RUN: %if sanitizer %{ %t.alone %t.so | FileCheck %s --check-prefix=ONE %} \
// RUN: %else %{ not %t.alone %t.so 2>&1 | FileCheck %s --check-prefix=DLOPEN %}
// RUN: %plain_cxx %s -o %t.both %gostack_link -ldl
// RUN: not %t.both %t.so 2>&1 | FileCheck %s --check-prefix=TWO

#ifdef LIBRARY
#include <gostack/gostack.h>

extern "C" int libraryEntry() {
  return gostack::run([] {
    gostack::chan<int> c(1);
    gostack::go([&] { c.send(41); });
    return c.recv() + 1;
  });
}
#else
#include <cstdio>
#include <dlfcn.h>
#ifndef HOST_WITHOUT_RUNTIME
#include <gostack/gostack.h>
#endif

#ifdef LINKED
extern "C" int libraryEntry();
#endif

int callLibrary(const char *path) {
#ifdef LINKED
  (void)path;
  std::printf("the library says %d\n", libraryEntry());
  return 0;
#endif
  void *library = dlopen(path, RTLD_NOW);
  if (!library) {
    std::printf("dlopen: %s\n", dlerror());
    return 1;
  }
  auto entry = reinterpret_cast<int (*)()>(dlsym(library, "libraryEntry"));
  std::printf("the library says %d\n", entry());
  return 0;
}

int main(int, char **argv) {
#ifdef HOST_WITHOUT_RUNTIME
  return callLibrary(argv[1]);
#else
  return gostack::run([&] { return callLibrary(argv[1]); });
#endif
}
#endif

// ONE: the library says 42

// DLOPEN: fatal error: gostack: the runtime was loaded with dlopen, after the process chose its malloc: the collector cannot see memory from malloc and new, and would free objects it holds. Link the library that contains libgostack at startup (or LD_PRELOAD it), not with dlopen

// TWO: fatal error: gostack: two copies of the gostack runtime in one process: one linked into {{.*}}two-runtimes.cpp.tmp.both, another into {{.*}}two-runtimes.cpp.tmp.so. Each would collect its own heap blind to the other's; link libgostack once (into the executable, or into one shared library the others use)
