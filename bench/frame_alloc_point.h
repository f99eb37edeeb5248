// The object the frame-allocation benchmark allocates, and its loops.
#ifndef GOSTACK_BENCH_FRAME_ALLOC_POINT_H
#define GOSTACK_BENCH_FRAME_ALLOC_POINT_H

struct Point {
  long x, y;
};

long goNewLoop_plugin_on(long n);
long goNewLoop_plugin_off(long n);

#endif
