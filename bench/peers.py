"""What the side-by-side benchmark scripts share: running a peer and
measuring it, and building the Go peers."""
import os
import subprocess
import sys
import time


def run_measured(command):
    """Runs command; returns its wall seconds, peak RSS in MiB and stdout."""
    begin = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - begin
    if status != 0:
        sys.exit(f"{' '.join(command)} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024, output


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
