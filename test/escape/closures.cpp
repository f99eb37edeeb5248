// C++ renderings of Go's test/escape_closure.go: immediately called
// lambdas, lambdas in loops, and captures.
// RUN: %verify -fplugin-arg-gostack-m %s

#include <gostack/gostack.h>

int *sink;

// func ClosureCallArgs0() { x := 0; func(p *int) { *p = 1 }(&x) }
[[gostack::managed]] void closureCallArgs0() {
  int x = 0;
  [](int *p) { *p = 1; }(&x);
  // expected-remark@-1 {{lambda does not escape}}
  // expected-remark@-2 {{p does not escape}}
}

[[gostack::managed]] void closureCallArgs1() {
  int x = 0;
  for (int n = 0; n < 3; ++n)
    [](int *p) { *p = 1; }(&x);
  // expected-remark@-1 {{lambda does not escape}}
  // expected-remark@-2 {{p does not escape}}
}

[[gostack::managed]] void closureCallArgs2() {
  for (int n = 0; n < 3; ++n) {
    int x = 0;
    [](int *p) { *p = 1; }(&x);
    // expected-remark@-1 {{lambda does not escape}}
    // expected-remark@-2 {{p does not escape}}
  }
}

// func ClosureCallArgs3() { x := 0; func(p *int) { sink = p }(&x) }
[[gostack::managed]] void closureCallArgs3() {
  int x = 0; // expected-remark {{moved to heap: x}}
  [](int *p) { sink = p; }(&x);
  // expected-remark@-1 {{lambda does not escape}}
  // expected-remark@-2 {{leaking param: p}}
}

// func ClosureCallArgs4() { x := 0; _ = func(p *int) *int { return p }(&x) }
[[gostack::managed]] void closureCallArgs4() {
  int x = 0;
  [](int *p) { return p; }(&x); // the result is discarded, as `_ =`
  // expected-remark@-1 {{lambda does not escape}}
  // expected-remark@-2 {{leaking param: p to result ~r0 level=0}}
}

// func ClosureCallArgs5() { x := 0; sink = func(p *int) *int { return p }(&x) }
[[gostack::managed]] void closureCallArgs5() {
  int x = 0; // expected-remark {{moved to heap: x}}
  sink = [](int *p) { return p; }(&x);
  // expected-remark@-1 {{lambda does not escape}}
  // expected-remark@-2 {{leaking param: p}}
}

// func ClosureCallArgs6() { x := 0; func(p *int) { sink = &p }(&x) }
int **sinkPP;
[[gostack::managed]] void closureCallArgs6() {
  int x = 0; // expected-remark {{moved to heap: x}}
  [](int *p) { sinkPP = &p; }(&x);
  // expected-remark@-1 {{lambda does not escape}}
  // expected-remark@-2 {{moved to heap: p}}
}

// func ClosureCallArgs7() {
//   var pp *int
//   for { x := 0; func(p *int) { pp = p }(&x) }
// }
[[gostack::managed]] bool closureCallArgs7() {
  int *pp = nullptr;
  for (int n = 0; n < 3; ++n) {
    int x = 0; // expected-remark {{moved to heap: x}}
    [&](int *p) { pp = p; }(&x);
    // expected-remark@-1 {{lambda does not escape}}
    // expected-remark@-2 {{leaking param: p}}
  }
  return pp;
}

// func ClosureCallArgs15() { x := 0; p := &x; go func(p **int) { sink = *p }(&p) }
[[gostack::managed]] void closureCallArgs15() {
  int x = 0;   // expected-remark {{moved to heap: x}}
  int *p = &x; // expected-remark {{moved to heap: p}}
  gostack::go([](int **pp) { sink = *pp; }, &p);
  // expected-remark@-1 {{lambda escapes to heap}}
  // expected-remark@-2 {{leaking param content: pp}}
}

// Captured by value: the copy, not the variable.
[[gostack::managed]] int *capturedByValue() {
  int x = 0;
  int *p = &x; // only p's value is captured
  auto f = [p] { return *p; };
  // expected-remark@-1 {{lambda does not escape}}
  return f() ? nullptr : nullptr;
}

// A pointer captured by value whose lambda escapes takes its pointee along.
[[gostack::managed]] auto capturedPointerEscapes() {
  int x = 0; // expected-remark {{moved to heap: x}}
  int *p = &x;
  return [p] { return *p; };
  // expected-remark@-1 {{lambda escapes to heap}}
}

// Nested lambdas: the inner one's captures reach the outer frame.
[[gostack::managed]] int nested() {
  int x = 1;
  auto outer = [&] {
    // expected-remark@-1 {{lambda does not escape}}
    auto inner = [&] { return x; };
    // expected-remark@-1 {{lambda does not escape}}
    return inner();
  };
  return outer();
}

[[gostack::managed]] auto nestedEscapes() {
  int x = 1; // expected-remark {{moved to heap: x}}
  auto outer = [&] {
    // expected-remark@-1 {{lambda does not escape}}
    return [&] { return x; };
    // expected-remark@-1 {{lambda escapes to heap}}
  };
  return outer();
}
