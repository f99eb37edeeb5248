# lit configuration for gostack: plugin behaviour (-verify, FileCheck),
# runtime programs, examples, the CMake package and formatting.
import os
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "gostack"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".cpp", ".test"]
# Inputs are helpers included by tests; external/ is a project the package
# test configures; unit/ holds GoogleTest sources run by CTest; projects/ is
# the real-projects suite (its own runner, scripts/test.sh).
config.excludes = ["Inputs", "external", "unit", "projects", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.gostack_obj_root, "test")

# FileCheck and not by absolute path from LLVM 19, never from PATH.
llvm_config.add_tool_substitutions(["FileCheck", "not"], config.llvm_tools_dir)

clangxx = os.path.join(config.llvm_tools_dir, "clang++")
plugin = "-fplugin=" + config.gostack_plugin
include = "-I" + config.gostack_runtime_include
link = "-L%s -lgostack -lpthread" % config.gostack_runtime_lib_dir
cxx = "%s -std=c++20 %s" % (clangxx, config.gostack_sanitize_flags)

config.substitutions += [
    ("%clangxx", clangxx),
    ("%plugin_file", config.gostack_plugin),
    ("%plugin_impl_file", config.gostack_plugin_impl),
    ("%clang_format", os.path.join(config.llvm_tools_dir, "clang-format")),
    ("%llvm_readelf", os.path.join(config.llvm_tools_dir, "llvm-readelf")),
    ("%plugin", plugin),
    ("%runtime_include", include),
    ("%runtime_lib", link),
    # Diagnostics of the plugin, checked against expected-* comments. The
    # runtime header is always there, as in a program: the rewrite needs it.
    ("%verify", "%s -std=c++20 -fsyntax-only %s %s -include gostack/gostack.h"
     " -Xclang -verify" % (clangxx, plugin, include)),
    # Compile and link a program with the plugin and the runtime.
    ("%gostack_cxx", "%s %s %s" % (cxx, plugin, include)),
    ("%gostack_link", link + " " + config.gostack_sanitize_flags),
    # The same without the plugin (CONTRACT 2: code must work both ways).
    ("%plain_cxx", "%s %s" % (cxx, include)),
    # The tools around the analysis.
    ("%gostack_escape", os.path.join(config.gostack_bin_dir, "gostack-escape")),
    ("%gostack_lsp", os.path.join(config.gostack_bin_dir, "gostack-lsp")),
    ("%gostack_tidy", "%s --load=%s" % (
        os.path.join(config.llvm_tools_dir, "clang-tidy"),
        os.path.join(config.gostack_runtime_lib_dir, "libgostack-tidy.so"))),
    # The static analyzer with gostack's checkers (docs/ANALYZER.md).
    # Only the checkers a test names: --analyzer-no-default-checks; the
    # findings as text on stderr, no report file.
    ("%gostack_analyze", "%s -std=c++20 --analyze --analyzer-no-default-checks"
     " --analyzer-output text -Xclang -load -Xclang %s %s" % (
        clangxx, os.path.join(config.gostack_runtime_lib_dir,
                              "libgostack-analyzer.so"), include)),
    ("%src_root", config.gostack_src_root),
    ("%obj_root", config.gostack_obj_root),
    # Longer names first: lit substitutes in order.
    ("%cmake_generator", config.gostack_generator),
    ("%cmake", config.gostack_cmake),
    ("%make_program", config.gostack_make_program),
]

# Runtime tests run twice in CI: as they are, and with the stack debug
# knobs set (lit --param gostack_debug=stackmove=1,stackfaultonfree=1).
gostack_debug = lit_config.params.get("gostack_debug")
if gostack_debug:
    config.environment["GOSTACK_DEBUG"] = gostack_debug

if config.gostack_sanitize_flags.strip():
    config.available_features.add("sanitizer")
    # Keep ASan's reports readable and make UBSan fatal in child processes.
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0"


def other_clang():
    """A Clang that is not 19 -- Debian's /usr/bin/clang++ is 14."""
    candidate = "/usr/bin/clang++"
    if not os.path.exists(candidate):
        return None
    try:
        out = subprocess.run([candidate, "--version"], capture_output=True,
                             text=True, timeout=30).stdout
    except OSError:
        return None
    return None if "version 19." in out else candidate


def kernel_watches_writes():
    """Whether the collector can mark concurrently here: userfaultfd's
    asynchronous write-protection and PAGEMAP_SCAN (Linux 6.7), as
    runtime/src/heap/write_watch.cpp asks for them."""
    import ctypes
    import fcntl
    import struct
    libc = ctypes.CDLL(None, use_errno=True)
    user_mode_only, o_cloexec, o_nonblock = 1, 0o2000000, 0o4000
    fd = libc.syscall(323, o_cloexec | o_nonblock | user_mode_only)
    if fd < 0:
        return False
    try:
        uffdio_api = 0xC018AA3F
        api = struct.pack("QQQ", 0xAA, (1 << 15) | (1 << 13), 0)
        fcntl.ioctl(fd, uffdio_api, api)
        with open("/proc/self/pagemap", "rb") as pagemap:
            scan = struct.pack("12Q", 96, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            fcntl.ioctl(pagemap.fileno(), 0xC0606610, scan)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


if kernel_watches_writes():
    config.available_features.add("write-watch")

# The editor test: Debian's neovim and LLVM 19's clangd.
# The tools around the analysis (-DGOSTACK_BUILD_TOOLS=ON).
if config.gostack_tools:
    config.available_features.add("tools")
clangd = os.path.join(config.llvm_tools_dir, "clangd")
if os.path.exists(clangd):
    config.available_features.add("clangd")
    config.substitutions.append(("%clangd", clangd))
if os.path.exists("/usr/bin/nvim"):
    config.available_features.add("neovim")
if os.path.exists("/usr/bin/node"):
    config.available_features.add("node")

# LLVM's linker, which rewrites split-stack prologues (docs/STACKS.md).
if os.path.exists(os.path.join(config.llvm_tools_dir, "ld.lld")):
    config.available_features.add("lld")

# Real-world headers for the no-crash tests (scripts/setup.sh installs them).
if os.path.exists("/usr/include/nlohmann/json.hpp"):
    config.available_features.add("nlohmann-json")
if os.path.exists("/usr/include/fmt/format.h"):
    config.available_features.add("fmt")

if os.path.exists("/usr/bin/g++"):
    config.available_features.add("gcc")

other = other_clang()
if other:
    config.available_features.add("other-clang")
    config.substitutions.append(("%other_clangxx", other))
