// `-analyzer-config gostack:managed=all` is the plugin's managed=all: every
// function outside system headers is managed, so the project's own code
// keeps no stack address (the plugin moves what it would keep), and a call
// from a system header's code into an unmarked project function is a
// managed call. Without it, only marked functions are managed.
// (Warnings only: the paths go to a plist.)
// RUN: %gostack_analyze -Xclang -analyzer-checker=gostack \
// RUN:   -Xclang -analyzer-config -Xclang gostack:managed=all \
// RUN:   --analyzer-output plist -o %t.plist -Xclang -verify=all %s
// RUN: %gostack_analyze -Xclang -analyzer-checker=gostack \
// RUN:   --analyzer-output plist -o %t.plist -Xclang -verify=marked %s
// marked-no-diagnostics

void work(); // unmarked: managed only under managed=all
int *kept;

// What a system header's code does: not managed under managed=all.
# 1 "library.h" 1 3
inline void libraryKeeps() {
  int local = 0;
  kept = &local;
  work();
  // all-warning@+1 {{The address of 'local' kept in 'kept' is used after the call to managed function 'work'}}
  *kept += 1;
  kept = nullptr;
}
# 27 "managed-all.cpp" 2

// The system header's function runs inside a project function (inlined).
void projectCallsLibrary() { libraryKeeps(); }

// The project's own code: managed under managed=all, unmanaged otherwise
// (and then `work` is not managed either).
void projectKeeps() {
  int local = 0;
  kept = &local;
  work();
  *kept += 1;
  kept = nullptr;
}
