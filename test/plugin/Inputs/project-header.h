// A header of the project's own (reached through -I): managed=all manages
// its functions, inline ones and templates included.
inline __attribute__((noinline)) int headerFunction() { return 41; }
template <class T> __attribute__((noinline)) T headerTemplate(T t) {
  return t + 1;
}
