//===-- main_in_goroutine.cpp - A project's main() as gostack's main ------===//
//
// Linked into a real project's test programs with -Wl,--wrap=main (see
// run.py): the C runtime then calls __wrap_main, which runs the program's
// own main() as the main goroutine of gostack::run, so every test of the
// project runs on a goroutine stack that grows, moves and shrinks.
//
//===----------------------------------------------------------------------===//

#include <gostack/gostack.h>

extern "C" int __real_main(int argc, char **argv, char **envp);

extern "C" int __wrap_main(int argc, char **argv, char **envp) {
  return gostack::run([&] { return __real_main(argc, argv, envp); });
}
