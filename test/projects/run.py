#!/usr/bin/env python3
"""Real projects built with the plugin, tested against the same projects
built without it (the first rule: valid C++ keeps its meaning).

For each project of ../shared/realworld/ (leveldb, tinyxml2), from a clean
folder: unpack it, build it twice with Clang 19 at -O2 -- plainly, and with
the plugin (managed=all, rewriting on) linked with the runtime, as a new user
would -- and run the project's own tests:

  plain        the reference results
  plugin       the plugin build, as it is
  gc           the plugin build with GOSTACK_GC=1 (a collection at every 1%
               of heap growth)
  goroutine    the plugin build relinked so that main() runs as gostack's
               main goroutine (-Wl,--wrap=main): the stacks grow and move
  stackdebug   the same with GOSTACK_DEBUG=stackmove=1,stackfaultonfree=1:
               the stack moves at every managed call and each old stack is
               unmapped. That costs a system call per call, so of a
               GoogleTest program only the tests that take at most
               STACKDEBUG_MS in the plain build run (leveldb: 175 of 211).

A test fails on a compile or link error, on a plugin crash, and on any test
of the project whose result differs from the plain build's. A test whose
result differs in the full run is run alone three times in both builds, and
counts as different only if it then differs every time. A test the project
itself knows to be flaky (leveldb's DBTest.HiddenValuesAreRemoved fails now
and then in the plain build too, alone or not) is run but not compared.

usage: run.py --build DIR --results results.xml [--projects NAMES]
              [--tarballs DIR] [--modes MODES]
The gostack build (plugin and runtime) is the one in the build directory.
Prints a table of figures: translation units, errors, tests per mode, build
times with and without the plugin.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LLVM = "/usr/lib/llvm-19/bin"
STACK_DEBUG = "stackmove=1,stackfaultonfree=1"
CRASH = re.compile(r"PLEASE submit a bug report|clang frontend command failed"
                   r"|Stack dump:")
RUN_TIMEOUT = 3600
STACKDEBUG_MS = 20


class Program:
    """One test program of a project and how to read its results."""

    def __init__(self, name, kind, cwd=None):
        self.name, self.kind, self.cwd = name, kind, cwd

    def run(self, build, source, env, only=None):
        """Runs the program; returns {test name: "passed"/"failed"/...}.
        For a GoogleTest program, \p only is a --gtest_filter."""
        exe = os.path.join(build, self.name)
        cwd = os.path.join(source, self.cwd) if self.cwd else build
        command = [exe]
        xml = os.path.join(build, self.name + "-results.xml")
        if self.kind == "gtest":
            if os.path.exists(xml):
                os.remove(xml)
            command.append("--gtest_output=xml:" + xml)
            if only:
                command.append("--gtest_filter=" + only)
        try:
            done = subprocess.run(command, cwd=cwd, env=env, capture_output=True,
                                  text=True, errors="replace",
                                  timeout=RUN_TIMEOUT)
            status, output = done.returncode, done.stdout + done.stderr
        except subprocess.TimeoutExpired as timeout:
            status, output = "timeout", str(timeout.stdout or "")
        if self.kind == "gtest":
            results = gtest_results(xml)
            if not results or (status != 0 and "failed" not in results.values()):
                # It died before or after its tests: count the program.
                results[self.name] = "crashed (%s): %s" % (
                    status, output.strip()[-600:])
            return results
        if self.kind == "xmltest":
            # One line per check, "[pass] what [expected][got]": checks
            # are told apart by their position (names repeat).
            results = {}
            for line in output.splitlines():
                match = re.match(r"\[(pass|fail)\] (.*)", line)
                if match:
                    name = "%03d %s" % (len(results) + 1,
                                        match.group(2).split(" [")[0].strip())
                    results[name] = ("passed" if match.group(1) == "pass"
                                     else "failed")
            if status != 0 and not results:
                results[self.name] = "crashed (%s): %s" % (
                    status, output.strip()[-600:])
            return results
        return {self.name: "passed" if status == 0 else
                "failed (%s): %s" % (status, output.strip()[-600:])}


def gtest_times(xml):
    """{test name: milliseconds} of a GoogleTest XML report."""
    times = {}
    if os.path.exists(xml):
        for case in ET.parse(xml).getroot().iter("testcase"):
            name = case.get("classname", "") + "." + case.get("name", "")
            times[name] = float(case.get("time", "0")) * 1000
    return times


def gtest_results(xml):
    results = {}
    if not os.path.exists(xml):
        return results
    try:
        root = ET.parse(xml).getroot()
    except ET.ParseError:
        return results
    for case in root.iter("testcase"):
        name = case.get("classname", "") + "." + case.get("name", "")
        if case.find("failure") is not None:
            results[name] = "failed"
        elif case.get("result") == "skipped" or case.get("status") == "notrun":
            results[name] = "skipped"
        else:
            results[name] = "passed"
    return results


def prepare_leveldb(source):
    # The GoogleTest submodule is empty in the snapshot: Debian's sources.
    target = os.path.join(source, "third_party", "googletest")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree("/usr/src/googletest", target)


PROJECTS = {
    "leveldb": {
        "tarball": "leveldb.tar.gz",
        "prepare": prepare_leveldb,
        # leveldb's code needs C++17 (its default, C++11, does not build).
        "cmake": ["-DCMAKE_CXX_STANDARD=17", "-DLEVELDB_BUILD_BENCHMARKS=OFF"],
        "programs": [Program("leveldb_tests", "gtest"),
                     Program("env_posix_test", "gtest"),
                     Program("c_test", "status")],
        # Fails now and then in the plain build too, run alone or not
        # (../shared/realworld/README.md): its results are not compared.
        "flaky": ["DBTest.HiddenValuesAreRemoved"],
    },
    "tinyxml2": {
        "tarball": "tinyxml2.tar.gz",
        "prepare": None,
        "cmake": ["-Dtinyxml2_BUILD_TESTING=ON"],
        # xmltest reads resources/ from the source folder.
        "programs": [Program("xmltest", "xmltest", cwd=".")],
        "flaky": [],
    },
}


class Report:
    """The JUnit XML report and the figures table."""

    def __init__(self):
        self.suite = ET.Element("testsuite", name="projects")
        self.figures = []

    def add(self, name, failure=None, skipped=None):
        case = ET.SubElement(self.suite, "testcase", classname="projects",
                             name=name)
        if failure:
            ET.SubElement(case, "failure", message=failure[:2000])
            print("FAIL: %s\n%s" % (name, failure))
        elif skipped:
            ET.SubElement(case, "skipped", message=skipped)
            print("SKIPPED: %s (%s)" % (name, skipped))
        else:
            print("PASS: %s" % name)

    def write(self, path):
        ET.ElementTree(self.suite).write(path)


def sh(command, cwd=None, env=None, log=None):
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True,
                          text=True, errors="replace")
    output = done.stdout + done.stderr
    if log:
        with open(log, "w") as out:
            out.write(output)
    return done.returncode, output


def build(name, project, source, folder, gostack_build, with_plugin):
    """Configures and builds; returns (error or None, seconds, TUs)."""
    lib = os.path.join(gostack_build, "lib")
    args = ["cmake", "-S", source, "-B", folder, "-G", "Ninja",
            "-DCMAKE_BUILD_TYPE=Release",
            "-DCMAKE_CXX_COMPILER=" + LLVM + "/clang++",
            "-DCMAKE_C_COMPILER=" + LLVM + "/clang",
            "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"] + project["cmake"]
    if with_plugin:
        # What a user adds to an existing build: the plugin, managed=all,
        # the runtime's headers and the runtime.
        args += ["-DCMAKE_CXX_FLAGS=-fplugin=%s -fplugin-arg-gostack-managed=all"
                 " -I%s" % (os.path.join(lib, "libgostack-plugin.so"),
                            os.path.join(ROOT, "runtime", "include")),
                 "-DCMAKE_CXX_STANDARD_LIBRARIES=-L%s -lgostack -lpthread" % lib,
                 "-DCMAKE_C_STANDARD_LIBRARIES=-L%s -lgostack -lpthread "
                 "-lstdc++" % lib]
    status, output = sh(args, log=folder + "-configure.log")
    if status != 0:
        return "configure failed:\n" + output[-3000:], 0, 0
    start = time.monotonic()
    status, output = sh(["ninja", "-C", folder, "-k", "0"],
                        log=folder + "-build.log")
    seconds = time.monotonic() - start
    with open(os.path.join(folder, "compile_commands.json")) as commands:
        units = commands.read().count('"file":')
    problems = []
    if CRASH.search(output):
        problems.append("the compiler crashed")
    errors = [line for line in output.splitlines()
              if " error: " in line or "undefined reference" in line]
    if status != 0 or errors:
        problems.append("%d error lines, ninja status %d" % (len(errors), status))
    if problems:
        return ("%s (%s): %s\n%s" % (name, "plugin" if with_plugin else "plain",
                                     "; ".join(problems),
                                     "\n".join(errors[:40]) or output[-3000:]),
                seconds, units)
    return None, seconds, units


def relink_in_goroutine(source, folder):
    """Relinks the plugin build's programs so main() runs as a goroutine."""
    wrapper = os.path.join(folder, "main_in_goroutine.o")
    status, output = sh([LLVM + "/clang++", "-std=c++20", "-O2", "-c",
                         "-I" + os.path.join(ROOT, "runtime", "include"),
                         os.path.join(HERE, "main_in_goroutine.cpp"),
                         "-o", wrapper])
    if status != 0:
        return "main_in_goroutine.cpp: " + output
    status, output = sh(["cmake", "-S", source, "-B", folder,
                         "-DCMAKE_EXE_LINKER_FLAGS=-Wl,--wrap=main " + wrapper])
    if status != 0:
        return output[-3000:]
    status, output = sh(["ninja", "-C", folder], log=folder + "-relink.log")
    return None if status == 0 else output[-3000:]


def environment(mode, tmp):
    env = dict(os.environ)
    for knob in ("GOSTACK_GC", "GOSTACK_DEBUG", "GOSTACK_MAXPROCS"):
        env.pop(knob, None)
    if mode == "gc":
        env["GOSTACK_GC"] = "1"
    if mode == "stackdebug":
        env["GOSTACK_DEBUG"] = STACK_DEBUG
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    env["TEST_TMPDIR"] = tmp  # leveldb's tests put their databases there
    env["TMPDIR"] = tmp
    return env


def differences(program, reference, results):
    names = sorted(set(reference) | set(results))
    return [n for n in names
            if reference.get(n, "missing") != results.get(n, "missing")]


def confirm(program, names, reference, results, plain_dir, other_dir, source,
            mode, tmp):
    """Runs each test that passed one way and failed the other alone three
    times both ways; keeps those whose results differ every time. A test
    missing on one side (the program died before it) stays a difference."""
    if program.kind != "gtest":
        return names  # a whole program: its one result is the result
    real = []
    for name in names:
        if name not in reference or name not in results:
            real.append(name)
            continue
        same = False
        for _ in range(3):
            plain = program.run(plain_dir, source, environment("plain", tmp),
                                only=name).get(name)
            other = program.run(other_dir, source, environment(mode, tmp),
                                only=name).get(name)
            if plain == other:
                same = True
                break
        if not same:
            real.append(name)
    return real


def run_project(name, project, args, report):
    tarball = os.path.join(args.tarballs, project["tarball"])
    top = os.path.join(args.build, name)
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    with tarfile.open(tarball) as archive:
        archive.extractall(top)
    source = os.path.join(top, name)
    if project["prepare"]:
        project["prepare"](source)
    plain_dir = os.path.join(top, "plain")
    plugin_dir = os.path.join(top, "plugin")
    tmp = os.path.join(top, "tmp")

    error, plain_seconds, units = build(name, project, source, plain_dir,
                                        args.gostack_build, False)
    report.add("%s: builds plainly" % name, failure=error)
    if error:
        return
    error, plugin_seconds, _ = build(name, project, source, plugin_dir,
                                     args.gostack_build, True)
    report.add("%s: builds with the plugin (managed=all)" % name, failure=error)
    remarks = count_warnings(plugin_dir + "-build.log")
    report.figures.append("%s: %d translation units, build %.0f s plain, "
                          "%.0f s with the plugin (%.2fx), %d gostack warnings"
                          % (name, units, plain_seconds, plugin_seconds,
                             plugin_seconds / max(plain_seconds, 0.001),
                             remarks))
    if error:
        return

    reference, fast = {}, {}
    for program in project["programs"]:
        reference[program.name] = program.run(plain_dir, source,
                                              environment("plain", tmp))
        # The tests quick enough to run at every stack move.
        fast[program.name] = [
            test for test, ms in gtest_times(os.path.join(
                plain_dir, program.name + "-results.xml")).items()
            if ms <= STACKDEBUG_MS]
        counts = summary(reference[program.name])
        report.figures.append("%s %s plain: %s" % (name, program.name, counts))

    relinked = False
    for mode in args.modes:
        if mode in ("goroutine", "stackdebug") and not relinked:
            error = relink_in_goroutine(source, plugin_dir)
            report.add("%s: relinked to run main as a goroutine" % name,
                       failure=error)
            if error:
                return
            relinked = True
        for program in project["programs"]:
            only = None
            expected = reference[program.name]
            if mode == "stackdebug" and program.kind == "gtest":
                only = ":".join(fast[program.name])
                expected = {t: r for t, r in expected.items()
                            if t in fast[program.name]}
            results = program.run(plugin_dir, source, environment(mode, tmp),
                                  only=only)
            report.figures.append("%s %s %s: %s" % (name, program.name, mode,
                                                    summary(results)))
            diff = [n for n in differences(program, expected, results)
                    if n not in project["flaky"]]
            diff = confirm(program, diff, expected, results,
                           plain_dir, plugin_dir, source, mode, tmp)
            failure = None
            # A program that died says so first.
            diff.sort(key=lambda n: (n != program.name, n))
            if diff:
                failure = "\n".join(
                    "%s: plain %s, %s %s" % (
                        n, expected.get(n, "missing"), mode,
                        results.get(n, "missing")) for n in diff[:40])
            report.add("%s: %s (%s) gives the plain build's results" % (
                name, program.name, mode), failure=failure)


def count_warnings(log):
    with open(log, errors="replace") as text:
        return sum(1 for line in text if "is destroyed at the end of its scope"
                   in line)


def summary(results):
    counts = {}
    for outcome in results.values():
        key = outcome.split(" ")[0]
        counts[key] = counts.get(key, 0) + 1
    return ", ".join("%d %s" % (n, k) for k, n in sorted(counts.items()))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", required=True,
                        help="folder for the projects (emptied first)")
    parser.add_argument("--gostack-build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--results", required=True)
    parser.add_argument("--tarballs", default=os.environ.get(
        "GOSTACK_REALWORLD",
        os.path.join(os.path.dirname(ROOT), "shared", "realworld")))
    parser.add_argument("--projects", default=",".join(PROJECTS))
    parser.add_argument("--modes", default="plugin,gc,goroutine,stackdebug")
    args = parser.parse_args(argv)
    args.modes = args.modes.split(",")
    args.build = os.path.abspath(args.build)
    report = Report()
    for name in args.projects.split(","):
        project = PROJECTS[name]
        if not os.path.exists(os.path.join(args.tarballs, project["tarball"])):
            report.add("%s: real-world project" % name,
                       skipped="%s not found in %s (set GOSTACK_REALWORLD)" % (
                           project["tarball"], args.tarballs))
            continue
        started = time.monotonic()
        run_project(name, project, args, report)
        report.figures.append("%s: %.0f s in all" % (
            name, time.monotonic() - started))
    report.write(args.results)
    print("\n".join(report.figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
