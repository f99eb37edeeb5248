"""gostack-lsp driven over stdio by a scripted client.

usage: scenarios.py SCENARIO SERVER WORKDIR CLANGXX FLAGS
Prints what the server publishes, for FileCheck."""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client, show, uri, write_database  # noqa: E402

scenario, server, root, clangxx, flags = sys.argv[1:6]
shutil.rmtree(root, ignore_errors=True)
os.makedirs(root)

LEAK = """#include <gostack/gostack.h>

[[gostack::managed]] int *leak() {
  int n = 7;
  return &n;
}

[[gostack::managed]] int sum(int *p) { return *p; }
"""


def write(name, text):
    path = os.path.join(root, name)
    with open(path, "w") as out:
        out.write(text)
    return path


def basic():
    leak = write("leak.cpp", LEAK)
    write_database(root, [leak], clangxx, flags)
    client = Client([server], root)
    client.open(leak)
    print("open:")
    show(client.diagnostics(leak))
    print(client.log_matching("verdicts in")["message"])
    # The fix clears the stale verdict.
    write("leak.cpp", LEAK.replace("return &n;", "return nullptr;"))
    client.save(leak)
    print("fixed:")
    show(client.diagnostics(leak))
    client.configure({"kinds": {"does-not-escape": False}})
    print("filtered:")
    show(client.diagnostics(leak))
    client.configure({"kinds": {"does-not-escape": True}, "enable": False})
    print("disabled:")
    show(client.diagnostics(leak))
    client.configure({"enable": True})
    print("enabled:")
    show(client.diagnostics(leak))
    client.close(leak)
    print("closed:")
    show(client.diagnostics(leak))
    print("unknown request:", client.request("gostack/nothing", {})["error"]
          ["code"])
    print("exit status", client.shutdown())


def edges():
    leak = write("leak.cpp", LEAK)
    broken = write("broken.cpp", LEAK.replace("return &n;", "return &m;"))
    write_database(root, [leak, broken], clangxx, flags)
    client = Client([server], root)
    stray = write("stray.cpp", LEAK)
    client.open(stray)
    print("not in database:",
          client.log_matching("is not in", "window/showMessage")["message"])
    # No database anywhere above the file (the test's own directory is
    # inside gostack's build tree, which has one).
    lonely_dir = tempfile.mkdtemp(prefix="gostack-lsp-nodb-")
    lonely = os.path.join(lonely_dir, "lonely.cpp")
    with open(lonely, "w") as out:
        out.write(LEAK)
    client.open(lonely)
    print("no database:", client.log_matching(
        "no compile_commands.json", "window/showMessage")["message"])
    shutil.rmtree(lonely_dir)
    # A compile error: no verdicts, and the old ones go.
    client.open(leak)
    client.diagnostics(leak)
    write("leak.cpp", LEAK.replace("return &n;", "return &m;"))
    client.save(leak)
    print("compile error:", len(client.diagnostics(leak)), "diagnostics;",
          client.log_matching("does not compile")["message"])
    client.shutdown()


def crash():
    leak = write("leak.cpp", LEAK)
    write_database(root, [leak], clangxx, flags)
    crashing = write("crash.cpp", "#include <csignal>\n"
                     "static int crash = (std::raise(SIGSEGV), 0);\n")
    os.system("%s -shared -fPIC -o %s/crash.so %s" % (clangxx, root, crashing))
    client = Client([server, "--plugin=%s/crash.so" % root], root)
    client.open(leak)
    print("crash:", client.log_matching("crashed", "window/showMessage")
          ["message"])
    client.shutdown()


def wrong_clang():
    leak = write("leak.cpp", LEAK)
    write_database(root, [leak], clangxx, flags)  # another Clang
    client = Client([server], root)
    client.open(leak)
    print("wrong clang:", client.log_matching("gostack plugin:",
                                              "window/showMessage")["message"])
    client.shutdown()


def rapid_saves():
    leak = write("leak.cpp", LEAK)
    write_database(root, [leak], clangxx, flags)
    client = Client([server], root)
    client.open(leak)
    for i in range(6):
        write("leak.cpp", LEAK.replace("int n = 7;", "int n%d = 7;" % i)
              .replace("&n;", "&n%d;" % i))
        client.save(leak)
    # Only the last save's verdicts reach the client: the others were
    # superseded (and their compiles killed) or are dropped.
    diagnostics = client.diagnostics(leak)
    while "n5" not in str(diagnostics):
        print("intermediate:", [d["message"] for d in diagnostics])
        diagnostics = client.diagnostics(leak)
    print("last:")
    show(diagnostics)
    time.sleep(1)
    runs = [m for m in client.seen if m.get("method") == "window/logMessage"
            and "verdicts in" in m["params"]["message"]]
    print("superseded runs dropped:", len(runs) < 6)
    client.shutdown()


def huge():
    # A slow translation unit does not hold up a small one.
    body = "".join("[[gostack::managed]] int *f%d() { int v = %d; "
                   "return &v; }\n" % (i, i) for i in range(20000))
    big = write("big.cpp", "#include <gostack/gostack.h>\n" + body)
    leak = write("leak.cpp", LEAK)
    write_database(root, [big, leak], clangxx, flags)
    client = Client([server], root)
    client.open(big)
    time.sleep(0.2)
    start = time.time()
    client.open(leak)
    first = client.wait(lambda m: m.get("method") ==
                        "textDocument/publishDiagnostics")
    print("first published:", os.path.basename(first["params"]["uri"]))
    print("small file after %.2f s" % (time.time() - start), file=sys.stderr)
    big_diagnostics = client.diagnostics(big, timeout=600)
    print("big file:", len(big_diagnostics), "diagnostics")
    print(client.log_matching("big.cpp:")["message"], file=sys.stderr)
    client.shutdown()


{"basic": basic, "edges": edges, "crash": crash, "wrong-clang": wrong_clang,
 "rapid-saves": rapid_saves, "huge": huge}[scenario]()
