//===-- LibraryFunctions.cpp - What library code does with pointers -------===//
//
// The tables: builtins by their ID, C functions by name (declared extern "C"
// in a system header), a few C++ library members whose code is in
// libstdc++.so by their qualified name. An entry is added only for a
// function documented to keep no pointer it is given beyond the call (or,
// for the fields of LibraryEffect, to keep it only as said there).
//
//===----------------------------------------------------------------------===//

#include "escape/LibraryFunctions.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringMap.h"

using namespace clang;

namespace gostack::escape {

static std::optional<LibraryEffect> builtinEffect(unsigned ID) {
  LibraryEffect Effect;
  switch (ID) {
  // Hand back (an address into) their first argument.
  case Builtin::BIaddressof:
  case Builtin::BI__addressof:
  case Builtin::BI__builtin_addressof:
  case Builtin::BImove:
  case Builtin::BImove_if_noexcept:
  case Builtin::BIforward:
  case Builtin::BIforward_like:
  case Builtin::BIas_const:
  case Builtin::BI__builtin_launder:
  case Builtin::BI__builtin_assume_aligned:
  case Builtin::BI__builtin_expect:
  case Builtin::BI__builtin_expect_with_probability:
  case Builtin::BImemchr:
  case Builtin::BI__builtin_memchr:
  case Builtin::BIwmemchr:
  case Builtin::BI__builtin_wmemchr:
  case Builtin::BIstrchr:
  case Builtin::BI__builtin_strchr:
  case Builtin::BIstrrchr:
  case Builtin::BIstrstr:
  case Builtin::BIwcschr:
  case Builtin::BI__builtin_wcschr:
  case Builtin::BIstrcpy:
  case Builtin::BI__builtin_strcpy:
  case Builtin::BIstrncpy:
  case Builtin::BI__builtin_strncpy:
  case Builtin::BIstrcat:
  case Builtin::BI__builtin_strcat:
  case Builtin::BIstrncat:
  case Builtin::BI__builtin_strncat:
    Effect.Returned = 0;
    return Effect;
  // Copy memory: the destination comes back, what the source points to is
  // copied somewhere unknown.
  case Builtin::BImemcpy:
  case Builtin::BI__builtin_memcpy:
  case Builtin::BImemmove:
  case Builtin::BI__builtin_memmove:
  case Builtin::BIwmemcpy:
  case Builtin::BI__builtin_wmemcpy:
  case Builtin::BIwmemmove:
  case Builtin::BI__builtin_wmemmove:
  case Builtin::BI__builtin_memcpy_inline:
  case Builtin::BImempcpy:
  case Builtin::BI__builtin_mempcpy:
    Effect.Returned = 0;
    Effect.Copied = 1;
    return Effect;
  case Builtin::BImemset:
  case Builtin::BI__builtin_memset:
  case Builtin::BI__builtin_memset_inline:
    Effect.Returned = 0;
    return Effect;
  // Keep nothing.
  case Builtin::BIfree:
  case Builtin::BImalloc:
  case Builtin::BIcalloc:
  case Builtin::BIrealloc:
  case Builtin::BIstrlen:
  case Builtin::BI__builtin_strlen:
  case Builtin::BImemcmp:
  case Builtin::BI__builtin_memcmp:
  case Builtin::BIstrcmp:
  case Builtin::BI__builtin_strcmp:
  case Builtin::BIstrncmp:
  case Builtin::BI__builtin_strncmp:
  case Builtin::BIwcslen:
  case Builtin::BI__builtin_wcslen:
  case Builtin::BIwmemcmp:
  case Builtin::BI__builtin_wmemcmp:
  case Builtin::BIwcscmp:
  case Builtin::BI__builtin_wcscmp:
  case Builtin::BIwcsncmp:
  case Builtin::BI__builtin_wcsncmp:
  case Builtin::BIbcmp:
  case Builtin::BI__builtin_bcmp:
  case Builtin::BI__builtin_object_size:
  case Builtin::BI__builtin_dynamic_object_size:
  case Builtin::BI__builtin_constant_p:
  case Builtin::BI__builtin_operator_delete:
  case Builtin::BI__builtin_operator_new:
  case Builtin::BI__builtin_va_start:
  case Builtin::BI__builtin_va_end:
  case Builtin::BI__builtin_va_copy:
  case Builtin::BI__builtin_prefetch:
    return Effect;
  default:
    return std::nullopt;
  }
}

/// C library functions, by name. glibc's fortified (_chk) variants are
/// listed with their plain ones.
static const llvm::StringMap<LibraryEffect> &cFunctions() {
  static const llvm::StringMap<LibraryEffect> Table = [] {
    llvm::StringMap<LibraryEffect> T;
    const LibraryEffect Nothing;
    for (const char *Name :
         {// stdio: formatted and unformatted I/O copy what they are given.
          "printf", "fprintf", "dprintf", "sprintf", "snprintf", "vprintf",
          "vfprintf", "vdprintf", "vsprintf", "vsnprintf", "scanf", "fscanf",
          "sscanf", "vscanf", "vfscanf", "vsscanf", "__printf_chk",
          "__fprintf_chk", "__sprintf_chk", "__snprintf_chk", "__vsnprintf_chk",
          "__vfprintf_chk", "__isoc99_sscanf", "__isoc99_fscanf",
          "__isoc99_scanf", "__isoc99_vsscanf", "puts", "fputs", "fputc",
          "putc", "putchar", "fwrite", "fread", "fflush", "fclose", "fileno",
          "fseek", "fseeko", "ftell", "ftello", "rewind", "feof", "ferror",
          "clearerr", "perror", "remove", "rename", "fopen", "fdopen", "getc",
          "fgetc", "ungetc",
          // Files and the system: the kernel copies in and out.
          "read", "write", "pread", "pwrite", "pread64", "pwrite64", "readv",
          "writev", "open", "open64", "openat", "creat", "close", "unlink",
          "unlinkat", "rmdir", "mkdir", "mkdirat", "access", "faccessat",
          "stat", "stat64", "fstat", "fstat64", "lstat", "lstat64", "fstatat",
          "statx", "statfs", "fstatfs", "ftruncate", "truncate", "fsync",
          "fdatasync", "readlink", "symlink", "link", "chdir", "chmod",
          "fchmod", "dup", "dup2", "pipe", "pipe2", "fcntl", "fcntl64", "ioctl",
          "lseek", "lseek64", "posix_fadvise", "fallocate", "flock", "opendir",
          "fdopendir", "closedir", "readdir", "readdir64", "rewinddir",
          "__read_chk", "__pread_chk", "__readlink_chk", "mmap", "munmap",
          "madvise", "mprotect", "poll", "select", "socket", "bind", "connect",
          "listen", "accept", "send", "recv", "sendto", "recvfrom",
          "getsockopt", "setsockopt", "shutdown", "kill", "raise", "getpid",
          "gettid", "isatty", "usleep", "sleep", "nanosleep", "sched_yield",
          "sysconf", "uname", "gethostname", "getrlimit", "setrlimit",
          "getrlimit64", "setrlimit64", "getrusage", "setenv", "unsetenv",
          "getenv", "secure_getenv", "exit", "_exit", "abort", "__assert_fail",
          // Time.
          "time", "gettimeofday", "clock_gettime", "clock_getres", "strftime",
          "mktime", "timegm", "difftime", "clock",
          // Numbers from strings.
          "atoi", "atol", "atoll", "atof", "strerror", "strnlen", "strcasecmp",
          "strncasecmp", "strspn", "strcspn", "strcoll", "strxfrm",
          // Threads: locking and waiting do not keep the lock's address
          // (glibc keeps no mutex pointer in a condition variable).
          "pthread_mutex_lock", "pthread_mutex_unlock", "pthread_mutex_trylock",
          "pthread_mutex_timedlock", "pthread_mutex_init",
          "pthread_mutex_destroy", "pthread_mutexattr_init",
          "pthread_mutexattr_destroy", "pthread_mutexattr_settype",
          "pthread_cond_init", "pthread_cond_destroy", "pthread_cond_signal",
          "pthread_cond_broadcast", "pthread_cond_wait",
          "pthread_cond_timedwait", "pthread_cond_clockwait",
          "pthread_rwlock_init", "pthread_rwlock_destroy",
          "pthread_rwlock_rdlock", "pthread_rwlock_wrlock",
          "pthread_rwlock_unlock", "pthread_rwlock_tryrdlock",
          "pthread_rwlock_trywrlock", "pthread_self", "pthread_equal",
          "pthread_getattr_np", "pthread_attr_init", "pthread_attr_destroy",
          "pthread_attr_getstack", "pthread_setname_np", "pthread_getname_np",
          "sem_init", "sem_destroy", "sem_wait", "sem_post", "sem_trywait",
          "sem_timedwait", "sched_getaffinity", "sched_setaffinity"})
      T[Name] = Nothing;
    // Return (a pointer into) an argument.
    auto Returns = [](int Argument) {
      LibraryEffect E;
      E.Returned = Argument;
      return E;
    };
    for (const char *Name :
         {"fgets", "getcwd", "strpbrk", "strcasestr", "memrchr", "rawmemchr",
          "stpcpy", "__stpcpy_chk", "__strcpy_chk", "__strcat_chk",
          "__strncpy_chk", "__memset_chk"})
      T[Name] = Returns(0);
    for (const char *Name : {"localtime_r", "gmtime_r", "ctime_r", "asctime_r",
                             "strerror_r", "__xpg_strerror_r", "realpath"})
      T[Name] = Returns(1);
    for (const char *Name :
         {"__memcpy_chk", "__memmove_chk", "__mempcpy_chk"}) {
      LibraryEffect E = Returns(0);
      E.Copied = 1;
      T[Name] = E;
    }
    // Store a pointer into their string into *endptr.
    for (const char *Name :
         {"strtol", "strtoll", "strtoul", "strtoull", "strtod", "strtof",
          "strtold", "strtoimax", "strtoumax", "__isoc23_strtol",
          "__isoc23_strtoll", "__isoc23_strtoul", "__isoc23_strtoull"}) {
      LibraryEffect E;
      E.Stored = 0;
      E.StoredInto = 1;
      T[Name] = E;
    }
    return T;
  }();
  return Table;
}

/// C++ library members, by qualified name without template arguments: some
/// compiled into libstdc++.so, and std::function's call, whose body calls
/// through a function pointer (Go: calling a func value does not leak the
/// closure; its arguments go where the unknown callee sends them).
static const llvm::StringMap<LibraryEffect> &cxxFunctions() {
  static const llvm::StringMap<LibraryEffect> Table = [] {
    llvm::StringMap<LibraryEffect> T;
    LibraryEffect CallThrough;
    CallThrough.OthersEscape = true;
    T["std::function::operator()"] = CallThrough;
    for (const char *Name :
         {"std::condition_variable::wait",
          "std::condition_variable::notify_one",
          "std::condition_variable::notify_all", "std::thread::join",
          "std::thread::detach", "std::__throw_length_error",
          "std::__throw_logic_error", "std::__throw_out_of_range",
          "std::__throw_out_of_range_fmt", "std::__throw_invalid_argument",
          "std::__throw_bad_alloc", "std::__throw_bad_array_new_length",
          "std::__throw_system_error", "std::__throw_runtime_error",
          "std::__throw_bad_function_call", "std::__throw_bad_cast",
          "std::chrono::_V2::system_clock::now",
          "std::chrono::_V2::steady_clock::now"})
      T[Name] = LibraryEffect();
    return T;
  }();
  return Table;
}

/// ns::Class::member, without template arguments.
static std::string nameWithoutArguments(const FunctionDecl *FD) {
  std::string Name = FD->getNameAsString();
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *Record = dyn_cast<CXXRecordDecl>(DC))
      Name = Record->getNameAsString() + "::" + Name;
    else if (const auto *NS = dyn_cast<NamespaceDecl>(DC);
             NS && !NS->isInline())
      Name = NS->getNameAsString() + "::" + Name;
  }
  return Name;
}

std::optional<LibraryEffect> libraryEffect(const FunctionDecl *Callee) {
  if (unsigned ID = Callee->getBuiltinID())
    if (std::optional<LibraryEffect> Effect = builtinEffect(ID))
      return Effect;
  if (!Callee->getIdentifier() && !Callee->isOverloadedOperator())
    return std::nullopt;
  const SourceManager &SM = Callee->getASTContext().getSourceManager();
  if (!SM.isInSystemHeader(SM.getExpansionLoc(Callee->getLocation())))
    return std::nullopt;
  const llvm::StringMap<LibraryEffect> &Table =
      Callee->isExternC() ? cFunctions() : cxxFunctions();
  if (Callee->isExternC() && Callee->hasBody())
    return std::nullopt;
  auto It = Table.find(Callee->isExternC() ? Callee->getName().str()
                                           : nameWithoutArguments(Callee));
  if (It == Table.end())
    return std::nullopt;
  return It->second;
}

} // namespace gostack::escape
