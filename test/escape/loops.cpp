// Go's loop-depth rule: an address taken inside a loop and stored in a
// variable declared outside it escapes, for every kind of loop.
// RUN: %verify -fplugin-arg-gostack-m %s

#include <gostack/gostack.h>

[[gostack::managed]] bool forLoop() {
  int *keep = nullptr;
  for (int i = 0; i < 3; ++i) {
    int inside = i; // expected-remark {{moved to heap: inside}}
    keep = &inside;
  }
  return keep;
}

[[gostack::managed]] bool whileLoop() {
  int *keep = nullptr;
  int i = 0;
  while (i < 3) {
    int inside = i++; // expected-remark {{moved to heap: inside}}
    keep = &inside;
  }
  return keep;
}

[[gostack::managed]] bool doLoop() {
  int *keep = nullptr;
  int i = 0;
  do {
    int inside = i; // expected-remark {{moved to heap: inside}}
    keep = &inside;
  } while (++i < 3);
  return keep;
}

[[gostack::managed]] bool rangeLoop() {
  int *keep = nullptr;
  int values[3] = {1, 2, 3};
  for (int v : values) {
    int inside = v; // expected-remark {{moved to heap: inside}}
    keep = &inside;
  }
  return keep;
}

// The range-for's own variables (__range1, __begin1, __end1) are never
// reported, even when they escape (here through an iterator whose members
// the analysis cannot see).
struct Iterator {
  int value;
  int operator*() const;
  Iterator &operator++();
  bool operator!=(const Iterator &other) const;
};
struct Range {
  Iterator begin();
  Iterator end();
};
[[gostack::managed]] int hiddenIterator(Range &r) {
  // expected-remark@-1 {{leaking param: r}}
  int sum = 0;
  for (int v : r)
    sum += v;
  return sum;
}

// The loop variable itself lives once per iteration.
[[gostack::managed]] bool rangeLoopVariable() {
  int *keep = nullptr;
  int values[3] = {1, 2, 3};
  for (int v : values) // expected-remark {{moved to heap: v}}
    keep = &v;
  return keep;
}

// A label that a later goto jumps back to makes a loop.
[[gostack::managed]] bool backwardGoto() {
  int *keep = nullptr;
  int i = 0;
again:
  int inside = i; // expected-remark {{moved to heap: inside}}
  keep = &inside;
  if (++i < 3)
    goto again;
  return keep;
}

// A forward goto makes no loop.
[[gostack::managed]] bool forwardGoto() {
  int *keep = nullptr;
  int i = 0;
  goto skip;
skip:
  int inside = i;
  keep = &inside;
  return keep;
}

// Both declared in the same iteration: no escape.
[[gostack::managed]] int sameIteration() {
  int sum = 0;
  for (int i = 0; i < 3; ++i) {
    int inside = i;
    int *p = &inside;
    sum += *p;
  }
  return sum;
}

// Declared outside, stored outside: no escape.
[[gostack::managed]] int outsideOnly() {
  int x = 1;
  int *keep = nullptr;
  for (int i = 0; i < 3; ++i)
    keep = &x;
  return *keep;
}

// A go_new in a loop stored outside it must survive the iteration.
[[gostack::managed]] int *allocationInLoop() {
  int *last = nullptr;
  for (int i = 0; i < 3; ++i)
    last = gostack::go_new<int>(
        i); // expected-remark@-1 {{go_new<int>(...) escapes to heap}}
  return last;
}

[[gostack::managed]] int allocationInLoopStays() {
  int sum = 0;
  for (int i = 0; i < 3; ++i) {
    int *p = gostack::go_new<int>(
        i); // expected-remark@-1 {{go_new<int>(...) does not escape}}
    sum += *p;
  }
  return sum;
}

[[gostack::managed]] int allocationOutsideLoop() {
  int *last = nullptr;
  for (int i = 0; i < 3; ++i) {
    int *p = gostack::go_new<int>(
        i); // expected-remark@-1 {{go_new<int>(...) escapes to heap}}
    last = p;
  }
  return *last;
}
