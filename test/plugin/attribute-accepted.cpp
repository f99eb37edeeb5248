// Both spellings of the managed marker are accepted on every kind of
// function definition, with no diagnostic at all.
// RUN: %verify %s
// expected-no-diagnostics

#include <gostack/gostack.h>

[[gostack::managed]] int function(int x) { return x; }
GOSTACK_MANAGED int functionHeaderSpelling(int x) { return x; }

[[gostack::managed]] int declaredThenDefined();
int declaredThenDefined() { return 1; }

struct Widget {
  [[gostack::managed]] Widget() {}
  GOSTACK_MANAGED explicit Widget(int) {}
  [[gostack::managed]] int member() const { return 2; }
  GOSTACK_MANAGED int outOfLine();
  [[gostack::managed]] static int staticMember() { return 3; }
  [[gostack::managed]] ~Widget() {}
};
int Widget::outOfLine() { return 4; }

template <class T> [[gostack::managed]] T templated(T t) { return t; }

#pragma clang diagnostic ignored "-Wc++23-lambda-attributes"
int lambdas() {
  auto managed = [] [[gostack::managed]] (int a) { return a; };
  auto headerSpelling = [] GOSTACK_MANAGED(int a) { return a; };
  return managed(1) + headerSpelling(2) + templated(3);
}
