// C++ renderings of Go's test/escape_param.go: where parameters go. Each
// function's Go original is in the comment above it; the expectations are
// Go's verdicts, except where a comment says why ours differ.
// RUN: %verify -fplugin-arg-gostack-m -Wno-return-stack-address %s

void *sink;

// func param0(p *int) *int { return p }
[[gostack::managed]] int *param0(int *p) { return p; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=0}}

[[gostack::managed]] void caller0a() {
  int i = 0;
  (void)param0(&i);
}

[[gostack::managed]] void caller0b() {
  int i = 0; // expected-remark {{moved to heap: i}}
  sink = param0(&i);
}

// func param2(p1 *int, p2 **int) { *p2 = p1 }
[[gostack::managed]] void param2(int *p1, int **p2) { *p2 = p1; }
// expected-remark@-1 {{leaking param: p1}}
// expected-remark@-2 {{p2 does not escape}}

// Go moves i to the heap here (*p2 = p1 is a store to the heap). The summary
// knows p1 went into what p2 points to, the local p: i stays.
[[gostack::managed]] void caller2a() {
  int i = 0;
  int *p;
  param2(&i, &p);
}

[[gostack::managed]] void caller2b() {
  int i = 0; // expected-remark {{moved to heap: i}}
  int *p;
  param2(&i, &p);
  sink = p;
}

// func param3(p *int) { sink = p }
[[gostack::managed]] void param3(int *p) { sink = p; }
// expected-remark@-1 {{leaking param: p}}

struct Pair {
  int *p1, *p2;
  // func (p *Pair) param4(i *int) { p.p1 = i }
  [[gostack::managed]] void param4(int *i) { p1 = i; }
  // expected-remark@-1 {{this does not escape}}
  // expected-remark@-2 {{leaking param: i}}
};

// Go moves i to the heap here (the store into p.p1 goes to the heap). The
// summary knows i went into p, which stays in the frame: i stays too.
[[gostack::managed]] void caller4a() {
  int i = 0;
  Pair p{};
  p.param4(&i);
}

[[gostack::managed]] void caller4b() {
  int i = 0; // expected-remark {{moved to heap: i}}
  Pair p{};
  p.param4(&i);
  sink = new Pair(p);
}

// func param5(i *int, p *Pair) { p.p1 = i }
[[gostack::managed]] void param5(int *i, Pair *p) { p->p1 = i; }
// expected-remark@-1 {{leaking param: i}}
// expected-remark@-2 {{p does not escape}}

// Go moves i to the heap; ours knows i went into the local p, as caller4a.
[[gostack::managed]] void caller5() {
  int i = 0;
  Pair p{};
  param5(&i, &p);
}

// ...and moves it when p itself outlives the frame.
[[gostack::managed]] void caller5b() {
  int i = 0; // expected-remark {{moved to heap: i}}
  Pair *p = gostack::go_new<Pair>();
  // expected-remark@-1 {{go_new<Pair>(...) does not escape}}
  param5(&i, p);
  sink = p->p2;
}

// func param6(i ***int) { sink = *i }
[[gostack::managed]] void param6(int ***i) { sink = *i; }
// expected-remark@-1 {{leaking param content: i}}

// func param7(i ***int) { sink = **i }
[[gostack::managed]] void param7(int ***i) { sink = **i; }
// expected-remark@-1 {{leaking param content: i}}

// func param8(i **int) { sinkInt = **i }
int sinkInt;
[[gostack::managed]] void param8(int **i) { sinkInt = **i; }
// expected-remark@-1 {{i does not escape}}

// func param9(p ***int) **int { return *p }
[[gostack::managed]] int **param9(int ***p) { return *p; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=1}}

[[gostack::managed]] void caller9a() {
  int i = 0;
  int *p = &i;
  int **pp = &p;
  (void)param9(&pp);
}

[[gostack::managed]] void caller9b() {
  int i = 0;   // expected-remark {{moved to heap: i}}
  int *p = &i; // expected-remark {{moved to heap: p}}
  int **pp = &p;
  sink = param9(&pp);
}

// func param10(p ***int) *int { return **p }
[[gostack::managed]] int *param10(int ***p) { return **p; }
// expected-remark@-1 {{leaking param: p to result ~r0 level=2}}

[[gostack::managed]] void caller10a() {
  int i = 0;
  int *p = &i;
  int **pp = &p;
  (void)param10(&pp);
}

[[gostack::managed]] void caller10b() {
  int i = 0; // expected-remark {{moved to heap: i}}
  int *p = &i;
  int **pp = &p;
  sink = param10(&pp);
}

// func param11(i **int) ***int { return &i }
[[gostack::managed]] int ***param11(int **i) { return &i; }
// expected-remark@-1 {{moved to heap: i}}

[[gostack::managed]] void caller11a() {
  int i = 0;   // expected-remark {{moved to heap: i}}
  int *p = &i; // expected-remark {{moved to heap: p}}
  (void)param11(&p);
}

[[gostack::managed]] void caller11b() {
  int i = 0;   // expected-remark {{moved to heap: i}}
  int *p = &i; // expected-remark {{moved to heap: p}}
  sink = param11(&p);
}

struct Indir {
  int ***p;
};

// func (r *Indir) param12(i **int) { r.p = &i }
[[gostack::managed]] void param12(Indir *r, int **i) { r->p = &i; }
// expected-remark@-1 {{r does not escape}}
// expected-remark@-2 {{moved to heap: i}}

struct Val {
  int *p;
};

// func param13(i *int, ptr **Val) { (*ptr).p = i }
[[gostack::managed]] void param13(int *i, Val **ptr) { (*ptr)->p = i; }
// expected-remark@-1 {{leaking param: i}}
// expected-remark@-2 {{ptr does not escape}}

// A by-value struct parameter: its pointers flow like any value's.
// func param14(v Val) *int { return v.p }
[[gostack::managed]] int *param14(Val v) { return v.p; }
// expected-remark@-1 {{leaking param: v to result ~r0 level=0}}

[[gostack::managed]] void param15(Val v) { sink = v.p; }
// expected-remark@-1 {{leaking param: v}}

[[gostack::managed]] int param16(const Val &v) { return *v.p; }
// expected-remark@-1 {{v does not escape}}

// Unnamed and pointer-free parameters get no remark.
[[gostack::managed]] int param17(int, double d, int *) { return int(d); }
