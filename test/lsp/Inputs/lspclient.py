"""A scripted LSP client for gostack-lsp's tests: starts the server, speaks
JSON-RPC over its standard streams, and waits for what it publishes."""
import json
import os
import queue
import subprocess
import sys
import threading
import time


def uri(path):
    return "file://" + os.path.abspath(path)


class Client:
    def __init__(self, command, root):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, cwd=root)
        self.messages = queue.Queue()
        self.seen = []
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": os.getpid(),
                                    "rootUri": uri(root), "capabilities": {}})
        self.notify("initialized", {})

    def _read(self):
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.decode().strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=30):
        ident = self.next_id
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": ident, "method": method,
                    "params": params})
        return self.wait(lambda m: m.get("id") == ident, timeout)

    def wait(self, predicate, timeout=120):
        """The first message, seen or coming, that satisfies predicate."""
        for message in self.seen:
            if predicate(message):
                self.seen.remove(message)
                return message
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                message = self.messages.get(timeout=deadline - time.time())
            except queue.Empty:
                break
            if predicate(message):
                return message
            self.seen.append(message)
        sys.exit("timed out waiting; seen: %s" % json.dumps(self.seen)[:3000])

    def diagnostics(self, path, timeout=120):
        """The next diagnostics published for path."""
        return self.wait(lambda m: m.get("method") ==
                         "textDocument/publishDiagnostics" and
                         m["params"]["uri"] == uri(path),
                         timeout)["params"]["diagnostics"]

    def log_matching(self, text, method="window/logMessage", timeout=120):
        return self.wait(lambda m: m.get("method") == method and
                         text in m["params"]["message"], timeout)["params"]

    def open(self, path):
        with open(path) as f:
            text = f.read()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(path), "languageId": "cpp", "version": 1,
            "text": text}})

    def save(self, path):
        self.notify("textDocument/didSave",
                    {"textDocument": {"uri": uri(path)}})

    def close(self, path):
        self.notify("textDocument/didClose",
                    {"textDocument": {"uri": uri(path)}})

    def configure(self, settings):
        self.notify("workspace/didChangeConfiguration",
                    {"settings": {"gostack": settings}})

    def shutdown(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.proc.wait(timeout=30)


def write_database(root, files, compiler, flags):
    entries = [{"directory": root, "file": f,
                "command": "%s %s -c %s -o %s.o" % (compiler, flags, f, f)}
               for f in files]
    with open(os.path.join(root, "compile_commands.json"), "w") as out:
        json.dump(entries, out)


def show(diagnostics):
    """One line per diagnostic, sorted: line, code, severity, message."""
    for d in sorted(diagnostics, key=lambda d: (d["range"]["start"]["line"],
                                                d["message"])):
        print("  %d:%d %s severity=%d %s%s" % (
            d["range"]["start"]["line"] + 1,
            d["range"]["start"]["character"] + 1, d["code"], d["severity"],
            d["message"],
            " | " + d["relatedInformation"][0]["message"]
            if "relatedInformation" in d else ""))
