#include "printany_sink.h"

#include <cstdio>

void print_any(const int *value) { std::printf("print_any: %d\n", *value); }
