// Sinks: globals, statics and thread_locals are the heap; so are objects
// from go_new stored there, C++ new, and throw.
// RUN: %verify -fplugin-arg-gostack-m %s

#include <gostack/gostack.h>

struct Node {
  Node *next;
  int value;
};

int *global;
Node *globalNode;
namespace space {
int *inNamespace;
}
struct Static {
  static int *member;
};
int *Static::member;

[[gostack::managed]] void toNamespaceGlobal() {
  int x; // expected-remark {{moved to heap: x}}
  space::inNamespace = &x;
}

[[gostack::managed]] void toStaticMember() {
  int x; // expected-remark {{moved to heap: x}}
  Static::member = &x;
}

[[gostack::managed]] void toStaticLocal() {
  static int *kept;
  int x; // expected-remark {{moved to heap: x}}
  kept = &x;
}

[[gostack::managed]] void toThreadLocal() {
  thread_local int *kept;
  int x; // expected-remark {{moved to heap: x}}
  kept = &x;
}

[[gostack::managed]] void throwsAddress() {
  int x = 1; // expected-remark {{moved to heap: x}}
  throw &x;
}

[[gostack::managed]] void throwsValue() {
  int x = 1;
  throw x;
}

[[gostack::managed]] int *intoCppNew() {
  int x; // expected-remark {{moved to heap: x}}
  int **box = new int *(&x);
  int *result = *box;
  delete box;
  return result;
}

// A go_new object stored in a global escapes, and so does what it holds.
[[gostack::managed]] void publishNode() {
  int marker = 0;
  Node *n = gostack::go_new<
      Node>(); // expected-remark@-1 {{go_new<Node>(...) escapes to heap}}
  globalNode = n;
  (void)marker;
}

[[gostack::managed]] Node *linked() {
  Node *a = gostack::go_new<
      Node>(); // expected-remark@-1 {{go_new<Node>(...) escapes to heap}}
  Node *b = gostack::go_new<Node>(
      a, 2); // expected-remark@-1 {{go_new<Node>(...) escapes to heap}}
  return b;
}

[[gostack::managed]] int linkedStays() {
  Node *a = gostack::go_new<
      Node>(); // expected-remark@-1 {{go_new<Node>(...) does not escape}}
  Node *b = gostack::go_new<Node>(
      a, 2); // expected-remark@-1 {{go_new<Node>(...) does not escape}}
  return b->next->value;
}

// A store through a go_new'd pointer of unknown provenance is a heap store.
[[gostack::managed]] void storeIntoParameterNode(Node *n) {
  // expected-remark@-1 {{n does not escape}}
  Node *fresh = gostack::go_new<
      Node>(); // expected-remark@-1 {{go_new<Node>(...) escapes to heap}}
  n->next = fresh;
}

struct Point {
  int x, y;
  [[gostack::managed]] Point(int x, int y) : x(x), y(y) {}
  // expected-remark@-1 {{this does not escape}}
};

[[gostack::managed]] int constructed() {
  Point *p = gostack::go_new<Point>(
      1, 2); // expected-remark@-1 {{go_new<Point>(...) does not escape}}
  return p->x + p->y;
}
