"""What the side-by-side benchmark scripts share: running a peer and
measuring it, and building the Go peers."""
import os
import subprocess
import sys
import tempfile
import time


class PeerFailed(Exception):
    """A peer's run failed; the message ends with what it printed last."""


def run_main(main):
    """Runs a script's main; a failed peer ends it with its message."""
    try:
        main()
    except PeerFailed as failure:
        sys.exit(str(failure))


def take_turns(peers, runs, measure):
    """Calls measure(command) runs times for each (name, command) peer, the
    peers taking turns, so that a noisy minute slows each alike. Returns
    the results by name, and why a peer failed: one other than gostack and
    Go may (Boost's fibers take two mappings each, and a million of them
    exceed vm.max_map_count); it is left out and said, not fatal."""
    results = {name: [] for name, _ in peers}
    failed = {}
    for _ in range(runs):
        for name, command in peers:
            if name in failed:
                continue
            try:
                results[name].append(measure(command))
            except PeerFailed as failure:
                if name == "gostack" or name.startswith("Go "):
                    raise
                failed[name] = str(failure).splitlines()[-1].strip()
    return {name: found for name, found in results.items()
            if name not in failed}, failed


def run_measured(command):
    """Runs command; returns its wall seconds, peak RSS in MiB and stdout."""
    seconds, rss, output, _ = run_traced(command, {})
    return seconds, rss, output


def run_traced(command, environment):
    """Runs command with environment added to os.environ; returns its wall
    seconds, peak RSS in MiB, stdout and stderr (where gctrace goes).
    Raises PeerFailed if it fails."""
    with tempfile.TemporaryFile(mode="w+") as stderr:
        begin = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                   stderr=stderr, text=True,
                                   env=dict(os.environ, **environment))
        output = process.stdout.read()
        # wait4, not wait: its rusage is the child's peak RSS.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - begin
        stderr.seek(0)
        trace = stderr.read()
    if status != 0:
        raise PeerFailed(f"{' '.join(command)} failed with status {status}:\n"
                         f"{trace[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, output, trace


def go_toolchains():
    """The go commands to compare with: $GO, a colon-separated list (the
    first is the one ratios are taken against), else `go` from PATH."""
    return [go for go in os.environ.get("GO", "").split(":") if go] or ["go"]


def go_version(go="go"):
    """The version the go command reports, as "go1.23.5"."""
    return subprocess.run([go, "env", "GOVERSION"], check=True,
                          capture_output=True, text=True,
                          env=go_environment(None)).stdout.strip()


def go_environment(build_dir):
    """Builds with this toolchain only, never downloading one or a module."""
    environment = dict(os.environ, GOTOOLCHAIN="local", GOPROXY="off")
    if build_dir:
        environment["GOCACHE"] = os.path.join(build_dir, "go-cache")
    return environment


def build_go(source, build_dir, name, go="go"):
    """Builds the Go program source with the go command into build_dir/name;
    returns its path."""
    build_dir = os.path.abspath(build_dir)
    binary = os.path.join(build_dir, name)
    subprocess.run([go, "build", "-o", binary, source], check=True,
                   env=go_environment(build_dir))
    return binary


def go_peers(source, build_dir, name):
    """The Go program source built by each of go_toolchains(): a list of
    ("Go 1.23.5", binary), the reference first."""
    peers = []
    for go in go_toolchains():
        version = go_version(go)
        label = "Go " + version.removeprefix("go")
        if label not in (known for known, _ in peers):
            peers.append((label, build_go(source, build_dir,
                                          f"{name}-{version}", go)))
    return peers
