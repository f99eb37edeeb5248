// gostack.GCPointerInUnscannedMemory: the collector scans every stack, the
// globals, TLS, the GC heap and every malloc/new block -- not memory the
// program maps itself. A GC pointer kept only there does not keep its
// object alive.
// RUN: %gostack_analyze \
// RUN:   -Xclang -analyzer-checker=gostack.GCPointerInUnscannedMemory \
// RUN:   -Xclang -analyzer-output=text -Xclang -verify %s

#include <gostack/gostack.h>

#include <cstdlib>
#include <sys/mman.h>

struct Node {
  Node *next;
  int value;
};

void *mapPage() {
  return mmap(nullptr, 4096, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

void arenaHoldsGCObject() {
  // expected-note@+3 {{Calling 'mapPage'}}
  // expected-note@+2 {{Returning from 'mapPage'}}
  // expected-note@-7 {{Memory mapped here: the collector does not scan it for pointers}}
  void *arena = mapPage();
  // expected-note@+1 {{A GC object, freed once no scanned memory points to it}}
  Node *node = gostack::go_new<Node>();
  // expected-warning@+2 {{Pointer to a GC object stored in memory from mmap, which the collector does not scan: the object may be freed while this copy points to it (keep it in malloc'd memory or a go_new object)}}
  // expected-note@+1 {{Pointer to a GC object stored in memory from mmap}}
  *static_cast<Node **>(arena) = node;
}

// Safe: malloc'd memory is scanned; a plain pointer in mapped memory is not
// a GC object.
void scannedOrNotGC() {
  void *block = std::malloc(64);
  *static_cast<Node **>(block) = gostack::go_new<Node>();
  void *arena = mapPage();
  static Node plain;
  *static_cast<Node **>(arena) = &plain;
  std::free(block);
}
