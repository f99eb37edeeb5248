// cache: a map built and returned.
//
// The Go original:
//
//   func newCache() map[string]int {
//       m := make(map[string]int)   // make(map[string]int) escapes to heap
//       m["answer"] = 42
//       return m
//   }

#include <gostack/gostack.h>

#include <cstdio>
#include <map>
#include <string>

using Cache = std::map<std::string, int>;

[[gostack::managed]] Cache *newCache() {
  Cache *m = gostack::go_new<Cache>();
  (*m)["answer"] = 42;
  return m;
}

int main() {
  Cache *cache = newCache();
  std::printf("cache[\"answer\"] = %d\n", cache->at("answer"));
  return cache->at("answer") == 42 ? 0 : 1;
}
