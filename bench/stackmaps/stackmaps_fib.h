//===-- stackmaps_fib.h - fib with and without stack maps -----------------===//
//
// stackmaps_fib.cpp is compiled twice with the plugin: with stack maps and
// with -fplugin-arg-gostack-no-stack-maps.
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_BENCH_STACKMAPS_FIB_H
#define GOSTACK_BENCH_STACKMAPS_FIB_H

long fibWithMaps(long n);
long fibNoMaps(long n);

#endif // GOSTACK_BENCH_STACKMAPS_FIB_H
