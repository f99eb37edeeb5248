// The loop of the frame-allocation benchmark, compiled twice: with the
// plugin (FRAME_ALLOC_VARIANT=plugin_on), where the go_new below does not
// escape and is rewritten to a frame slot, and without it (plugin_off),
// where every iteration allocates in the GC heap.

#include "frame_alloc_point.h"

#include <gostack/gostack.h>

#define FRAME_ALLOC_NAME(variant) goNewLoop_##variant
#define FRAME_ALLOC_FUNCTION(variant) FRAME_ALLOC_NAME(variant)

// The body is visible to the analysis, so p does not escape through it.
[[gnu::noinline]] static long consume(const Point *p) { return p->x ^ p->y; }

GOSTACK_MANAGED long FRAME_ALLOC_FUNCTION(FRAME_ALLOC_VARIANT)(long n) {
  long total = 0;
  for (long i = 0; i < n; ++i) {
    Point *p = gostack::go_new<Point>(i, i + 1);
    total += consume(p);
  }
  return total;
}
