"""What the side-by-side benchmark scripts share: running a peer and
measuring it, and building the Go peers."""
import os
import subprocess
import sys
import tempfile
import time


def run_measured(command):
    """Runs command; returns its wall seconds, peak RSS in MiB and stdout."""
    seconds, rss, output, _ = run_traced(command, {})
    return seconds, rss, output


def run_traced(command, environment):
    """Runs command with environment added to os.environ; returns its wall
    seconds, peak RSS in MiB, stdout and stderr (where gctrace goes)."""
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
        sys.exit(f"{' '.join(command)} failed with status {status}:\n"
                 f"{trace[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, output, trace


def build_go(source, build_dir, name):
    """Builds the Go program source into build_dir/name; returns its path."""
    build_dir = os.path.abspath(build_dir)
    binary = os.path.join(build_dir, name)
    subprocess.run(["go", "build", "-o", binary, source], check=True,
                   env=dict(os.environ,
                            GOCACHE=os.path.join(build_dir, "go-cache")))
    return binary


def go_version():
    return subprocess.run(["go", "env", "GOVERSION"], check=True,
                          capture_output=True, text=True).stdout.strip()
