//===-- lent_setter.h - A setter with and without its entry check ---------===//
//
// lent_setter.cpp is compiled twice with the plugin: as is (its parameter
// leaks into *this, so it checks for a lent address on entry) and with
// -fplugin-arg-gostack-no-rewrite (no check; nothing else in it to rewrite).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_BENCH_LENT_SETTER_H
#define GOSTACK_BENCH_LENT_SETTER_H

struct Node {
  Node *next = nullptr;
  long value = 0;
};

void linkChecked(Node *node, Node *next);
void linkUnchecked(Node *node, Node *next);

#endif // GOSTACK_BENCH_LENT_SETTER_H
