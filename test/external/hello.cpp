#include <gostack/gostack.h>

#include <cstdio>

GOSTACK_MANAGED int *seven() { return gostack::go_new<int>(7); }

int main() {
  int *n = seven();
  std::printf("hello: %d mallocs=%llu\n", *n,
              (unsigned long long)gostack::read_mem_stats().mallocs);
}
