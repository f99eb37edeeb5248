// C++ renderings of Go's test/escape_level.go: how many dereferences reach
// the heap decides what moves.
// RUN: %verify -fplugin-arg-gostack-m %s

void *sink;

[[gostack::managed]] void level0() {
  int i = 0;       // expected-remark {{moved to heap: i}}
  int *p0 = &i;    // expected-remark {{moved to heap: p0}}
  int **p1 = &p0;  // expected-remark {{moved to heap: p1}}
  int ***p2 = &p1; // expected-remark {{moved to heap: p2}}
  sink = &p2;
}

[[gostack::managed]] void level1() {
  int i = 0;      // expected-remark {{moved to heap: i}}
  int *p0 = &i;   // expected-remark {{moved to heap: p0}}
  int **p1 = &p0; // expected-remark {{moved to heap: p1}}
  int ***p2 = &p1;
  sink = p2;
}

[[gostack::managed]] void level2() {
  int i = 0;    // expected-remark {{moved to heap: i}}
  int *p0 = &i; // expected-remark {{moved to heap: p0}}
  int **p1 = &p0;
  int ***p2 = &p1;
  sink = *p2;
}

[[gostack::managed]] void level3() {
  int i = 0; // expected-remark {{moved to heap: i}}
  int *p0 = &i;
  int **p1 = &p0;
  int ***p2 = &p1;
  sink = **p2;
}

[[gostack::managed]] void level4() {
  int i = 0;
  int *p0 = &i;
  int **p1 = &p0;
  int ***p2 = &p1;
  int sinkValue = ***p2;
  (void)sinkValue;
}

[[gostack::managed]] void level5() {
  int i = 0;    // expected-remark {{moved to heap: i}}
  int *p0 = &i; // expected-remark {{moved to heap: p0}}
  int **p1 = &p0;
  int **p2 = p1;
  sink = p2;
}

[[gostack::managed]] void level6() {
  int i = 0; // expected-remark {{moved to heap: i}}
  int *p0 = &i;
  int **p1 = &p0;
  int *p2 = *p1;
  sink = p2;
}
