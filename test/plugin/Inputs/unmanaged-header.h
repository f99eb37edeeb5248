// A header whose functions managed=all must leave alone.
inline __attribute__((noinline)) int headerFunction() { return 41; }
