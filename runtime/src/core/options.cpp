//===-- core/options.cpp - The runtime's environment knobs ----------------===//

#include "core/options.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace gostack::options {
namespace {

const char *const KnownVariables[] = {"GOSTACK_GC", "GOSTACK_MAXPROCS",
                                      "GOSTACK_DEBUG", "GOSTACK_TRACEBACK",
                                      "GOSTACK_SYMBOLIZER"};
const char *const KnownDebugKeys[] = {
    "gccheckmark", "gcstoptheworld",   "gctrace",      "lentcheck",
    "stackcheck",  "stackfaultonfree", "stackmapsoff", "stackmove"};

template <std::size_t N>
bool isOneOf(const std::string &name, const char *const (&known)[N]) {
  for (const char *candidate : known)
    if (name == candidate)
      return true;
  return false;
}

/// "a, b, c": what a warning lists as known.
template <std::size_t N> std::string listed(const char *const (&known)[N]) {
  std::string text;
  for (const char *name : known)
    text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

bool isNumber(const std::string &text) {
  if (text.empty())
    return false;
  char *end;
  (void)std::strtol(text.c_str(), &end, 10);
  return !*end;
}

/// Each GOSTACK_DEBUG item: key=number, the key known.
void checkDebugSettings(const char *settings) {
  std::string all = settings;
  for (std::size_t at = 0; at <= all.size();) {
    std::size_t end = all.find(',', at);
    if (end == std::string::npos)
      end = all.size();
    std::string item = all.substr(at, end - at);
    at = end + 1;
    if (item.empty())
      continue;
    std::size_t equals = item.find('=');
    std::string key = item.substr(0, equals);
    if (!isOneOf(key, KnownDebugKeys))
      std::fprintf(stderr,
                   "gostack: GOSTACK_DEBUG: unknown setting '%s' ignored "
                   "(known: %s)\n",
                   key.c_str(), listed(KnownDebugKeys).c_str());
    else if (equals == std::string::npos || !isNumber(item.substr(equals + 1)))
      std::fprintf(stderr,
                   "gostack: GOSTACK_DEBUG: '%s' needs a number (%s=1); "
                   "ignored\n",
                   item.c_str(), key.c_str());
  }
}

/// Go's GODEBUG typos pass silently; ours are said once, on stderr.
void checkEnvironment() {
  for (char **variable = environ; variable && *variable; ++variable) {
    if (std::strncmp(*variable, "GOSTACK_", 8))
      continue;
    std::string name(*variable, std::strcspn(*variable, "="));
    if (!isOneOf(name, KnownVariables))
      std::fprintf(stderr,
                   "gostack: unknown environment variable %s ignored "
                   "(known: %s)\n",
                   name.c_str(), listed(KnownVariables).c_str());
  }
  if (const char *settings = std::getenv("GOSTACK_DEBUG"))
    checkDebugSettings(settings);
  const char *traceback = std::getenv("GOSTACK_TRACEBACK");
  if (traceback && *traceback && std::strcmp(traceback, "system") &&
      std::strcmp(traceback, "single"))
    std::fprintf(stderr,
                 "gostack: GOSTACK_TRACEBACK=%s is neither 'single' nor "
                 "'system'; using single\n",
                 traceback);
}

void checkOnce() {
  static std::once_flag checked;
  std::call_once(checked, checkEnvironment);
}

} // namespace

long gcPercent() {
  checkOnce();
  const char *value = std::getenv("GOSTACK_GC");
  if (!value || !*value)
    return 100;
  if (!std::strcmp(value, "off"))
    return -1;
  char *end;
  long percent = std::strtol(value, &end, 10);
  if (*end || percent < 0) {
    std::fprintf(stderr,
                 "gostack: GOSTACK_GC=%s is neither a percentage nor 'off'; "
                 "using 100\n",
                 value);
    return 100;
  }
  return percent;
}

long maxProcs() {
  checkOnce();
  long cores = static_cast<long>(std::thread::hardware_concurrency());
  if (cores < 1)
    cores = 1;
  const char *value = std::getenv("GOSTACK_MAXPROCS");
  if (!value || !*value)
    return cores;
  char *end;
  long procs = std::strtol(value, &end, 10);
  if (*end || procs < 1 || procs > 1024) {
    std::fprintf(stderr,
                 "gostack: GOSTACK_MAXPROCS=%s is not a number from 1 to "
                 "1024; using %ld\n",
                 value, cores);
    return cores;
  }
  return procs;
}

bool debugEnabled(const char *key) {
  checkOnce();
  const char *settings = std::getenv("GOSTACK_DEBUG");
  std::size_t keyLength = std::strlen(key);
  for (const char *item = settings; item && *item;) {
    const char *end = std::strchr(item, ',');
    std::size_t length = end ? std::size_t(end - item) : std::strlen(item);
    if (length > keyLength && !std::strncmp(item, key, keyLength) &&
        item[keyLength] == '=')
      return std::strtol(item + keyLength + 1, nullptr, 10) != 0;
    item = end ? end + 1 : nullptr;
  }
  return false;
}

bool systemTraceback() {
  checkOnce();
  const char *value = std::getenv("GOSTACK_TRACEBACK");
  return value && !std::strcmp(value, "system");
}

} // namespace gostack::options
