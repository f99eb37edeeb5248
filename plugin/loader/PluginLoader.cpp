//===-- PluginLoader.cpp - Load the real plugin into the right Clang ------===//
//
// libgostack-plugin.so is the file users pass to -fplugin=. A Clang plugin is
// tied to the C++ ABI of the exact Clang it was compiled against: loaded into
// another Clang it crashes with a stack dump instead of saying what is wrong.
// So this loader has no LLVM dependency at all. When the dynamic linker maps
// it, it asks the host process which Clang it is and
//  - for the Clang we were built against, loads the real plugin (which sits
//    next to this file) so that its registrations reach the host's registries;
//  - for any other host, prints one clear error naming both versions and
//    the compiler to use, and exits with status 1 as a failed compile does.
//
//===----------------------------------------------------------------------===//

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr int ExpectedMajor = GOSTACK_CLANG_MAJOR;

// Every Clang since 3.x exports clang::getClangFullVersion(), returning a
// libstdc++ std::string such as "Debian clang version 14.0.6".
using FullVersionFn = std::string (*)();
constexpr const char *FullVersionSymbol =
    "_ZN5clang19getClangFullVersionB5cxx11Ev";

std::string hostClangVersion() {
  void *Sym = dlsym(RTLD_DEFAULT, FullVersionSymbol);
  if (!Sym)
    return {};
  return reinterpret_cast<FullVersionFn>(Sym)();
}

// The major version in "... clang version 14.0.6 ...", or -1.
int majorOf(const std::string &FullVersion) {
  const std::string Marker = "version ";
  size_t At = FullVersion.find(Marker);
  if (At == std::string::npos)
    return -1;
  return std::atoi(FullVersion.c_str() + At + Marker.size());
}

std::string hostExecutable() {
  char Path[4096];
  ssize_t Len = readlink("/proc/self/exe", Path, sizeof(Path) - 1);
  if (Len <= 0)
    return "this compiler";
  return std::string(Path, Len);
}

[[noreturn]] void fail(const std::string &Message) {
  std::fprintf(stderr, "error: gostack plugin: %s\n", Message.c_str());
  std::fflush(stderr);
  _exit(1);
}

[[noreturn]] void refuseHost(const std::string &Host) {
  fail("built for Clang " GOSTACK_CLANG_VERSION " but loaded into " + Host +
       "; a plugin only runs inside the Clang it was built for: compile "
       "with " GOSTACK_CLANGXX);
}

std::string siblingPath(const char *FileName) {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&siblingPath), &Info) || !Info.dli_fname)
    return FileName;
  std::string Self = Info.dli_fname;
  size_t Slash = Self.rfind('/');
  if (Slash == std::string::npos)
    return FileName;
  return Self.substr(0, Slash + 1) + FileName;
}

__attribute__((constructor)) void loadRealPlugin() {
  std::string Version = hostClangVersion();
  if (Version.empty())
    refuseHost(hostExecutable() + ", which is not Clang");
  if (majorOf(Version) != ExpectedMajor)
    refuseHost(Version + " (" + hostExecutable() + ")");

  std::string Impl = siblingPath(GOSTACK_PLUGIN_IMPL);
  if (!dlopen(Impl.c_str(), RTLD_NOW | RTLD_GLOBAL))
    fail(std::string("cannot load ") + Impl + ": " + dlerror());
}

} // namespace
