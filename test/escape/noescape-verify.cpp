// [[clang::noescape]] is trusted at calls and verified where the analysis
// sees a managed definition: breaking the promise is an error, at every
// report level.
// RUN: %verify %s
// RUN: %verify=m -fplugin-arg-gostack-m %s
// RUN: %verify=m2 -fplugin-arg-gostack-m=2 %s

int *global;

[[gostack::managed]] void keeps([[clang::noescape]] int *p) { global = p; }
// expected-error@-1 {{parameter 'p' is declared [[clang::noescape]] but escapes}}
// m-error@-2 {{parameter 'p' is declared [[clang::noescape]] but escapes}}
// m-remark@-3 {{leaking param: p}}
// m2-error@-4 {{parameter 'p' is declared [[clang::noescape]] but escapes}}
// m2-note@-5 2 {{flow: {heap} = p}}
// m2-note@-6 2 {{from global = p (assign) at}}
// m2-remark@-7 {{leaking param: p}}

[[gostack::managed]] int keepsPromise([[clang::noescape]] int *p) { return *p; }
// m-remark@-1 {{p does not escape}}
// m2-remark@-2 {{p does not escape}}

// Not managed: trusted, not verified.
void unverified([[clang::noescape]] int *p) { global = p; }

[[gostack::managed]] void callsUnverified() {
  int x;
  unverified(&x);
}
