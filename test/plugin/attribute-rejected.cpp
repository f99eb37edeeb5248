// The managed marker anywhere but on a function is an error, in both
// spellings, and so is an argument list.
// RUN: %verify %s

#include <gostack/gostack.h>

// expected-error@+1 {{'gostack::managed' only applies to functions, member functions, constructors and lambdas}}
[[gostack::managed]] int variable;
// expected-error@+1 {{GOSTACK_MANAGED only applies to functions, member functions, constructors and lambdas}}
GOSTACK_MANAGED int headerVariable;

// expected-error@+1 {{'gostack::managed' only applies to functions}}
struct [[gostack::managed]] Class {};
// expected-error@+1 {{GOSTACK_MANAGED only applies to functions}}
struct GOSTACK_MANAGED HeaderClass{};

struct Members {
  // expected-error@+1 {{'gostack::managed' only applies to functions}}
  [[gostack::managed]] int field;
};

// expected-error@+1 {{'gostack::managed' only applies to functions}}
void parameter([[gostack::managed]] int x);

void statement() {
  // expected-error@+1 {{'gostack::managed' only applies to functions}}
  [[gostack::managed]] int local = 0;
  // expected-error@+1 {{'gostack::managed' only applies to functions}}
  [[gostack::managed]] return;
}

// expected-error@+1 {{'gostack::managed' takes no arguments}}
[[gostack::managed(1)]] void withArgument();
// expected-error@+1 {{'gostack::managed' takes no arguments}}
[[gostack::managed()]] void withEmptyArguments();
#define MANAGED_WITH_ARGUMENT [[gostack::managed(2)]]
// expected-error@+1 {{'gostack::managed' takes no arguments}}
MANAGED_WITH_ARGUMENT void throughMacro();
// expected-error@+1 {{GOSTACK_MANAGED takes no arguments}}
[[clang::annotate("gostack.managed", 3)]] void annotateWithArgument();
