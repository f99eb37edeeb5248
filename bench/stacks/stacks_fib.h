//===-- stacks_fib.h - One call-heavy function, with and without checks ---===//
//
// stacks_fib.cpp is compiled twice: with the plugin (a managed function,
// every call checks the stack guard) and without (no checks).
//
//===----------------------------------------------------------------------===//

#ifndef GOSTACK_BENCH_STACKS_FIB_H
#define GOSTACK_BENCH_STACKS_FIB_H

long fibChecked(long n);
long fibUnchecked(long n);

#endif // GOSTACK_BENCH_STACKS_FIB_H
