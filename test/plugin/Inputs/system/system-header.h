// A header reached through -isystem: managed=all leaves it alone.
inline __attribute__((noinline)) int systemFunction() { return 40; }
