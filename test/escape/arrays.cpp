// C++ renderings of Go's test/escape_array.go and escape_struct_return.go:
// arrays and structs returned by value carry their pointers; elements are
// not told apart.
// RUN: %verify -fplugin-arg-gostack-m -Wno-return-stack-address %s

struct U {
  int *s[2];
};

// func bar(a, b *string) U { return U{a, b} }
[[gostack::managed]] U bar(int *a, int *b) { return U{{a, b}}; }
// expected-remark@-1 {{leaking param: a to result ~r0 level=0}}
// expected-remark@-2 {{leaking param: b to result ~r0 level=0}}

// func foo(x U) U { return U{x[1], x[0]} }
[[gostack::managed]] U foo(U x) { return U{{x.s[1], x.s[0]}}; }
// expected-remark@-1 {{leaking param: x to result ~r0 level=0}}

// func bff(a, b *string) U { return foo(foo(bar(a, b))) }
[[gostack::managed]] U bff(int *a, int *b) { return foo(foo(bar(a, b))); }
// expected-remark@-1 {{leaking param: a to result ~r0 level=0}}
// expected-remark@-2 {{leaking param: b to result ~r0 level=0}}

[[gostack::managed]] int *tbff1() {
  int a = 0;
  int b = 0; // expected-remark {{moved to heap: b}}
  U u = bff(&a, &b);
  (void)u.s[0];
  return &b;
}

// BAD (as Go): telling u[0] from u[1] needs a finer analysis.
[[gostack::managed]] int *tbff2() {
  int a = 0; // expected-remark {{moved to heap: a}}
  int b = 0; // expected-remark {{moved to heap: b}}
  U u = bff(&a, &b);
  (void)u.s[0];
  return u.s[1];
}

// func car(x U) *string { return x[0] }
[[gostack::managed]] int *car(U x) { return x.s[0]; }
// expected-remark@-1 {{leaking param: x to result ~r0 level=0}}

// func fun(x U, y *string) *string { x[0] = y; return x[1] }
[[gostack::managed]] int *fun(U x, int *y) {
  // expected-remark@-1 {{leaking param: x to result ~r0 level=0}}
  // expected-remark@-2 {{leaking param: y to result ~r0 level=0}}
  x.s[0] = y;
  return x.s[1];
}

// func fup(x *U, y *string) *string { x[0] = y; return x[1] }
[[gostack::managed]] int *fup(U *x, int *y) {
  // expected-remark@-1 {{leaking param: x to result ~r0 level=1}}
  // expected-remark@-2 {{leaking param: y}}
  x->s[0] = y;
  return x->s[1];
}

// func fum(x *U, y **string) *string { x[0] = *y; return x[1] }
[[gostack::managed]] int *fum(U *x, int **y) {
  // expected-remark@-1 {{leaking param: x to result ~r0 level=1}}
  // expected-remark@-2 {{leaking param content: y}}
  x->s[0] = *y;
  return x->s[1];
}

// func fuo(x *U, y *U) *string { x[0] = y[0]; return x[1] }
[[gostack::managed]] int *fuo(U *x, U *y) {
  // expected-remark@-1 {{leaking param: x to result ~r0 level=1}}
  // expected-remark@-2 {{leaking param content: y}}
  x->s[0] = y->s[0];
  return x->s[1];
}

// escape_struct_return.go
struct V {
  int *sp;
  int **spp;
};

// func A(sp *string, spp **string) U { return U{sp, spp} }
[[gostack::managed]] V A(int *sp, int **spp) { return V{sp, spp}; }
// expected-remark@-1 {{leaking param: sp to result ~r0 level=0}}
// expected-remark@-2 {{leaking param: spp to result ~r0 level=0}}

// func B(spp **string) U { return U{*spp, spp} }
[[gostack::managed]] V B(int **spp) { return V{*spp, spp}; }
// expected-remark@-1 {{leaking param: spp to result ~r0 level=0}}

[[gostack::managed]] int tA3() {
  int s = 1;
  int *sp = &s;
  int **spp = &sp;
  V u = A(sp, spp);
  return **u.spp;
}

[[gostack::managed]] int tB2() {
  int s = 1;
  int *sp = &s;
  int **spp = &sp;
  V u = B(spp);
  return *u.sp;
}

[[gostack::managed]] int **tB4() {
  int s = 1;    // expected-remark {{moved to heap: s}}
  int *sp = &s; // expected-remark {{moved to heap: sp}}
  int **spp = &sp;
  V u = B(spp);
  return u.spp;
}
