//===-- sched/traceback.cpp - Goroutine stacks in fatal errors ------------===//

#include "sched/traceback.h"
#include "core/options.h"
#include "heap/collector.h"
#include "sched/context.h"
#include "sched/scheduler.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <map>
#include <spawn.h>
#include <string>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unwind.h>
#include <vector>

extern char **environ;

namespace gostack::sched {
namespace {

/// Go prints 100 frames of a goroutine and elides the rest.
constexpr int MaxFrames = 100;

struct Frames {
  std::uintptr_t pcs[MaxFrames];
  int count = 0;
  bool truncated = false;
};

_Unwind_Reason_Code collectFrame(_Unwind_Context *context, void *arg) {
  auto *frames = static_cast<Frames *>(arg);
  if (frames->count == MaxFrames) {
    frames->truncated = true;
    return _URC_END_OF_STACK;
  }
  int beforeInstruction = 0;
  std::uintptr_t pc = _Unwind_GetIPInfo(context, &beforeInstruction);
  if (!pc)
    return _URC_END_OF_STACK;
  // A return address names the instruction after the call.
  frames->pcs[frames->count++] = beforeInstruction ? pc : pc - 1;
  return _URC_NO_REASON;
}

void collectFrames(void *frames) { _Unwind_Backtrace(collectFrame, frames); }

/// One source-level frame; a pc inlined into others gives several.
struct Symbol {
  std::string function;
  std::string location;
};
using SymbolTable = std::map<std::uintptr_t, std::vector<Symbol>>;

/// The module holding \p pc and the address llvm-symbolizer wants for it
/// (the file's own virtual address).
bool moduleAddress(std::uintptr_t pc, Dl_info &info, std::string &module,
                   std::uintptr_t &address) {
  if (!dladdr(reinterpret_cast<void *>(pc), &info) || !info.dli_fbase)
    return false;
  auto base = reinterpret_cast<std::uintptr_t>(info.dli_fbase);
  const auto *header = static_cast<const Elf64_Ehdr *>(info.dli_fbase);
  address = header->e_type == ET_EXEC ? pc : pc - base;
  if (info.dli_fname && info.dli_fname[0] == '/') {
    module = info.dli_fname;
    return true;
  }
  // The executable: its name as started may be relative.
  char path[4096];
  ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0)
    return false;
  module.assign(path, std::size_t(length));
  return true;
}

/// The function of \p module's symbol table holding \p address, else the
/// exported one dladdr found, else null.
const char *functionAt(const std::string &module, std::uintptr_t address,
                       const Dl_info &info) {
  int file = open(module.c_str(), O_RDONLY | O_CLOEXEC);
  if (file < 0)
    return info.dli_sname;
  off_t size = lseek(file, 0, SEEK_END);
  void *mapped = size > 0 ? mmap(nullptr, std::size_t(size), PROT_READ,
                                 MAP_PRIVATE, file, 0)
                          : MAP_FAILED;
  close(file);
  if (mapped == MAP_FAILED)
    return info.dli_sname;
  const auto *bytes = static_cast<const char *>(mapped);
  const auto *header = static_cast<const Elf64_Ehdr *>(mapped);
  const auto *sections =
      reinterpret_cast<const Elf64_Shdr *>(bytes + header->e_shoff);
  for (unsigned i = 0; header->e_shoff && i < header->e_shnum; ++i) {
    if (sections[i].sh_type != SHT_SYMTAB)
      continue;
    const auto *symbols =
        reinterpret_cast<const Elf64_Sym *>(bytes + sections[i].sh_offset);
    const char *strings = bytes + sections[sections[i].sh_link].sh_offset;
    for (std::size_t j = 0; j < sections[i].sh_size / sizeof(Elf64_Sym); ++j)
      if (ELF64_ST_TYPE(symbols[j].st_info) == STT_FUNC &&
          address - symbols[j].st_value < symbols[j].st_size)
        return strings + symbols[j].st_name; // mapped for good: the
                                             // process is ending
  }
  munmap(mapped, std::size_t(size));
  return info.dli_sname;
}

/// Names from the modules' symbol tables, locations as module+offset
/// (addr2line -e MODULE OFFSET gives the line).
void symbolizeBySymbolTable(const std::vector<std::uintptr_t> &pcs,
                            SymbolTable &table) {
  for (std::uintptr_t pc : pcs) {
    Dl_info info;
    std::string module;
    std::uintptr_t address = 0;
    Symbol symbol{"??", "??"};
    if (moduleAddress(pc, info, module, address)) {
      char offset[32];
      std::snprintf(offset, sizeof offset, "+0x%zx", std::size_t(address));
      symbol.location = module + offset;
      if (const char *mangled = functionAt(module, address, info)) {
        int status = 0;
        char *name = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
        symbol.function = status == 0 ? name : mangled;
        std::free(name);
      }
    }
    table[pc].push_back(symbol);
  }
}

std::string symbolizerPath() {
  const char *chosen = std::getenv("GOSTACK_SYMBOLIZER");
  if (chosen)
    return std::strcmp(chosen, "off") ? chosen : "";
  return GOSTACK_DEFAULT_SYMBOLIZER;
}

/// Runs llvm-symbolizer over \p pcs: input from a memory file, output
/// through a pipe, one block of function/location line pairs per address.
bool symbolizeWithTool(const std::vector<std::uintptr_t> &pcs,
                       SymbolTable &table) {
  std::string tool = symbolizerPath();
  if (tool.empty() || access(tool.c_str(), X_OK) != 0)
    return false;
  std::string input;
  for (std::uintptr_t pc : pcs) {
    Dl_info info;
    std::string module;
    std::uintptr_t address = 0;
    if (!moduleAddress(pc, info, module, address))
      return false;
    char line[64];
    std::snprintf(line, sizeof line, " 0x%zx\n", std::size_t(address));
    input += "\"" + module + "\"" + line;
  }
  int in = memfd_create("gostack-symbolize", MFD_CLOEXEC);
  int out[2];
  if (in < 0 || pipe2(out, O_CLOEXEC) != 0)
    return false;
  bool written =
      write(in, input.data(), input.size()) == ssize_t(input.size()) &&
      lseek(in, 0, SEEK_SET) == 0;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  std::string inlines = "--inlines";
  char *argv[] = {tool.data(), inlines.data(), nullptr};
  pid_t child = -1;
  bool spawned = written && posix_spawn(&child, tool.c_str(), &actions, nullptr,
                                        argv, environ) == 0;
  posix_spawn_file_actions_destroy(&actions);
  close(in);
  close(out[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t got; spawned && (got = read(out[0], buffer, sizeof buffer)) > 0;)
    output.append(buffer, std::size_t(got));
  close(out[0]);
  int status = 0;
  if (!spawned || waitpid(child, &status, 0) != child || status != 0)
    return false;
  // Blocks end with an empty line; within one, a function line and its
  // location line per (inlined) frame.
  SymbolTable parsed;
  std::size_t index = 0, at = 0;
  std::vector<std::string> block;
  while (at < output.size() && index < pcs.size()) {
    std::size_t end = output.find('\n', at);
    if (end == std::string::npos)
      end = output.size();
    std::string line = output.substr(at, end - at);
    at = end + 1;
    if (!line.empty()) {
      block.push_back(line);
      continue;
    }
    for (std::size_t i = 0; i + 1 < block.size(); i += 2)
      parsed[pcs[index]].push_back({block[i], block[i + 1]});
    block.clear();
    ++index;
  }
  if (index != pcs.size())
    return false;
  table.swap(parsed);
  return true;
}

/// The name without its return type, template arguments and parameters:
/// "decltype(auto) std::apply<F, T>(F&&, T&&)" is "std::apply".
std::string bareName(const std::string &function) {
  std::string bare;
  int angles = 0, parens = 0;
  for (char c : function) {
    if (parens) {
      parens += c == '(' ? 1 : c == ')' ? -1 : 0;
      continue;
    }
    if (c == '(' && angles == 0) {
      if (bare != "decltype")
        break;
      parens = 1; // a decltype(...) return type
      continue;
    }
    if (c == '<')
      ++angles;
    else if (c == '>')
      --angles;
    else if (angles == 0 && c == ' ')
      bare.clear(); // what came before was the return type
    else if (angles == 0)
      bare += c;
  }
  return bare;
}

/// Frames of the runtime, the unwinder, the C++ ABI and std::apply that
/// go() calls through: left out where they wrap the program's own, unless
/// GOSTACK_TRACEBACK=system (Go's GOTRACEBACK=system).
bool isRuntimeFrame(const std::string &function) {
  static const char *const prefixes[] = {
      "gostack::",      "gostack_",         "_Unwind",
      "__cxa",          "__cxxabiv1::",     "__gnu_cxx::",
      "std::terminate", "std::__terminate", "__clang_call_terminate",
      "std::__invoke",  "std::invoke",      "std::__apply_impl",
      "std::apply",     "__asan",           "__ubsan",
      "__sanitizer",    "__morestack"};
  std::string bare = bareName(function);
  for (const char *prefix : prefixes)
    if (!bare.compare(0, std::strlen(prefix), prefix))
      return true;
  return false;
}

/// The program's frames within \p symbols, as [first, last): runtime and
/// unnamed frames are cut at both ends.
void programFrames(const std::vector<const Symbol *> &symbols,
                   std::size_t &first, std::size_t &last) {
  first = 0;
  last = symbols.size();
  if (options::systemTraceback())
    return;
  auto programs = [&](std::size_t i) {
    return symbols[i]->function != "??" &&
           !isRuntimeFrame(symbols[i]->function);
  };
  while (first < last && !programs(first))
    ++first;
  while (last > first && !programs(last - 1))
    --last;
  // Nothing of the program's own (its frames were tail calls): from the
  // runtime's public function it called.
  if (first >= last) {
    auto internal = [&](std::size_t i) {
      std::string bare = bareName(symbols[i]->function);
      return !bare.compare(0, 8, "gostack_") ||
             !bare.compare(0, 16, "gostack::sched::");
    };
    for (first = 0; first < symbols.size() && internal(first);)
      ++first;
    last = symbols.size();
  }
}

/// A goroutine to print: its header and frames.
struct Entry {
  std::string header;
  Frames frames;
  bool framesKnown = false;
};

void printEntries(std::vector<Entry> &entries) {
  std::vector<std::uintptr_t> pcs;
  for (Entry &entry : entries)
    pcs.insert(pcs.end(), entry.frames.pcs,
               entry.frames.pcs + entry.frames.count);
  std::sort(pcs.begin(), pcs.end());
  pcs.erase(std::unique(pcs.begin(), pcs.end()), pcs.end());
  SymbolTable table;
  if (!symbolizeWithTool(pcs, table))
    symbolizeBySymbolTable(pcs, table);
  for (Entry &entry : entries) {
    std::string text = "\n" + entry.header + "\n";
    std::vector<const Symbol *> symbols;
    for (int i = 0; i < entry.frames.count; ++i)
      for (const Symbol &symbol : table[entry.frames.pcs[i]])
        symbols.push_back(&symbol);
    std::size_t first, last;
    programFrames(symbols, first, last);
    for (std::size_t i = first; i < last; ++i)
      text += symbols[i]->function + "\n\t" + symbols[i]->location + "\n";
    if (entry.frames.truncated)
      text += "...additional frames elided...\n";
    if (!entry.framesKnown)
      text += "\tgoroutine running on other thread; stack unavailable\n";
    std::fputs(text.c_str(), stderr);
  }
  std::fflush(stderr);
}

std::string header(const Goroutine *g, const char *reason) {
  char text[96];
  std::snprintf(text, sizeof text,
                "goroutine %llu [%s]:", static_cast<unsigned long long>(g->id),
                reason);
  return text;
}

struct Collection {
  Goroutine *current;
  std::vector<Entry> *entries;
};

void addSuspended(Goroutine *g, void *context) {
  auto *collection = static_cast<Collection *>(context);
  if (g == collection->current)
    return;
  const char *reason = g->waitReason.load(std::memory_order_relaxed);
  Entry entry;
  entry.header = header(g, reason ? reason : "running");
  if (reason && g->sp) {
    gostack_call_as_suspended(g->sp, collectFrames, &entry.frames);
    entry.framesKnown = true;
  }
  collection->entries->push_back(entry);
}

void printTracebackHere(void *all) {
  std::vector<Entry> entries(1);
  Goroutine *current = currentGoroutine();
  entries[0].header =
      current ? header(current, "running") : std::string("thread [running]:");
  collectFrames(&entries[0].frames);
  entries[0].framesKnown = true;
  if (all) {
    // The thread that prints is not a goroutine (the monitor): only the
    // goroutines matter.
    if (!current)
      entries.clear();
    Collection collection{current, &entries};
    std::size_t others = entries.size();
    forEachGoroutine(addSuspended, &collection);
    // The list is newest first; Go prints the oldest first.
    std::reverse(entries.begin() + others, entries.end());
  }
  printEntries(entries);
}

std::atomic<bool> quitSignalled{false};

void onQuit(int) { quitSignalled.store(true); }

} // namespace

void printTraceback(bool all) {
  // The unwinder and the symbolizer need more than a goroutine's native
  // reserve: on the worker's own stack, which unwinds back into the
  // goroutine's frames.
  runOnSystemStack(printTracebackHere, all ? &quitSignalled : nullptr);
}

void installQuitHandler() {
  struct sigaction action = {};
  action.sa_handler = onQuit;
  sigemptyset(&action.sa_mask);
  struct sigaction previous;
  sigaction(SIGQUIT, nullptr, &previous);
  if (!(previous.sa_flags & SA_SIGINFO) && previous.sa_handler == SIG_DFL)
    sigaction(SIGQUIT, &action, nullptr);
}

bool quitRequested() { return quitSignalled.load(std::memory_order_relaxed); }

} // namespace gostack::sched
