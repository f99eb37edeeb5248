// stack-growth.cpp linked by lld, which makes the stack check of every
// managed function that calls code without split-stack notes unconditional
// and sends it to __morestack_non_split (docs/STACKS.md, "Linking").
// REQUIRES: lld
// RUN: %gostack_cxx -O2 -fuse-ld=lld %S/stack-growth.cpp -o %t %gostack_link
// RUN: %t | FileCheck %S/stack-growth.cpp
