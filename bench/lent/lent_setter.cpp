//===-- lent_setter.cpp - A managed setter, built twice -------------------===//

#include "lent_setter.h"

[[gostack::managed]] [[gnu::noinline]] void LINK_NAME(Node *node, Node *next) {
  node->next = next;
}
