// Unmanaged code that breaks the cgo rule: the analysis in the build says so.
#include <gostack/gostack.h>

[[gostack::managed]] void managedWork();

int *kept;

void keeps() {
  int local = 0;
  kept = &local;
  managedWork();
  *kept += 1;
  kept = nullptr;
}
