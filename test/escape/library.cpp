// Calls into the C library keep nothing they are given unless the function
// is documented to (LibraryFunctions.cpp): locals passed to them stay in the
// frame, as Go's are for its runtime and system calls (//go:noescape).
// An unknown external function still makes its pointer arguments escape.
// RUN: %verify -fplugin-arg-gostack-m %s

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sys/stat.h>
#include <sys/time.h>

[[gostack::managed]] long microseconds() {
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  return tv.tv_sec * 1000000 + tv.tv_usec;
}

[[gostack::managed]] long fileSize(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0)
    return -1;
  return st.st_size;
}

[[gostack::managed]] int format(int value) {
  char buffer[32];
  return std::snprintf(buffer, sizeof buffer, "%d", value);
}

[[gostack::managed]] int
parseHex(const char *text) { // expected-remark {{text does not escape}}
  unsigned value;
  if (std::sscanf(text, "%x", &value) != 1)
    return -1;
  return int(value);
}

// strtol stores a pointer into its string into *end: end and the buffer are
// both locals, so nothing escapes.
[[gostack::managed]] long parsePrefix() {
  char digits[] = "42abc";
  char *end;
  long value = std::strtol(digits, &end, 10);
  return value + (end - digits);
}

// ...unless *end outlives the buffer: the buffer moves to the heap.
char *lastEnd;
[[gostack::managed]] long parseKeepingEnd() {
  char digits[] = "7x"; // expected-remark {{moved to heap: digits}}
  return std::strtol(digits, &lastEnd, 10);
}

// localtime_r hands back its result buffer.
[[gostack::managed]] int hour(std::time_t when) {
  std::tm parts;
  std::tm *same = localtime_r(&when, &parts);
  return same->tm_hour;
}

[[gostack::managed]] std::tm *leakedParts(std::time_t when) {
  std::tm parts; // expected-remark {{moved to heap: parts}}
  return localtime_r(&when, &parts);
}

// A function the analysis knows nothing about: Go's rule, it escapes.
extern "C" void unknown_c_function(int *);
[[gostack::managed]] void unknown() {
  int n = 0; // expected-remark {{moved to heap: n}}
  unknown_c_function(&n);
}

// A project's own function named like a C library one is analysed as
// written, not looked up.
namespace project {
int *kept;
[[gostack::managed]] void fstat(int, int *p) { kept = p; }
// expected-remark@-1 {{leaking param: p}}
} // namespace project
[[gostack::managed]] void ownFstat() {
  int n = 0; // expected-remark {{moved to heap: n}}
  project::fstat(1, &n);
}
