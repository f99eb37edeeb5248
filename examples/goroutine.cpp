// goroutine: a goroutine that captures a local by reference.
//
// The Go original:
//
//   func main() {
//       var wg sync.WaitGroup   // moved to heap: wg
//       count := 0              // moved to heap: count
//       wg.Add(1)
//       go func() {             // func literal escapes to heap
//           count++
//           wg.Done()
//       }()
//       wg.Wait()
//       fmt.Println(count)
//   }
//
// The closure outlives main's frame as far as the compiler can tell, so it
// escapes and whatever it captures by reference moves to the heap.

#include <gostack/gostack.h>

#include <cstdio>

[[gostack::managed]] int countInGoroutine() {
  gostack::wait_group wg;
  int count = 0;
  wg.add(1);
  gostack::go([&] {
    count++;
    wg.done();
  });
  wg.wait();
  return count;
}

int main() {
  return gostack::run([] {
    int count = countInGoroutine();
    std::printf("count = %d\n", count);
    return count == 1 ? 0 : 1;
  });
}
