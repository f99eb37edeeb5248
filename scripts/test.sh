#!/usr/bin/env bash
# The whole test suite: install what is missing, build (normally and with
# ASan+UBSan), run every suite, and end with one line "N passed, N failed".
#  - lit: plugin diagnostics and IR, runtime programs, examples, the tools
#    (gostack-escape, clang-tidy module, gostack-lsp, editors), the CMake
#    package, the clang-format check;
#  - CTest: GoogleTest unit tests of the runtime, each also with
#    GOSTACK_DEBUG=stackmove=1,stackfaultonfree=1;
#  - the runtime programs and examples again with those knobs set and the
#    stack maps checked at every move (stackcheck=1), with the maps
#    checked alone, and with every concurrent collection checked
#    (gccheckmark=1);
#  - the ASan+UBSan build's unit tests and runtime programs, the programs
#    also with the stack debug knobs;
#  - the real projects (test/projects/run.py): leveldb and tinyxml2 built
#    with and without the plugin, their own tests compared;
#  - the goroutine, channel and collector unit tests under TSan (not the
#    death tests: they re-run the program, and TSan's own thread hides a
#    deadlock), the collector's also with eight markers, and the marking
#    team's.
set -uo pipefail
source "$(dirname "$0")/setup.sh"
gostack_setup --sanitizers || exit 1

lit=("$GOSTACK_LLVM/bin/../build/utils/lit/lit.py")
results="$GOSTACK_BUILD/test-results"
rm -rf "$results" && mkdir -p "$results"
stack_debug="stackmove=1,stackfaultonfree=1"
# The plain build also checks the stack maps (ASan's stacks are scanned
# word by word: nothing to check there).
stack_check="$stack_debug,stackcheck=1"
# The lit suites that run programs: these run again with the stack debug
# knobs and under ASan+UBSan.
programs=(test/runtime test/rewrite/programs test/typemap test/examples)

# run_suite NAME XML COMMAND...: runs one suite. A suite that fails without
# reporting a failing test in XML (it crashed, or never started) counts as
# one failed test, so nothing breaks unseen.
run_suite() {
  local name=$1 xml=$2 status=0
  shift 2
  echo
  echo "== $name"
  "$@" || status=$?
  if [ "$status" -ne 0 ] && ! grep -q '<failure' "$xml" 2>/dev/null; then
    printf '<testsuite><testcase name="%s"><failure message="exit status %s"/></testcase></testsuite>\n' \
      "$name" "$status" >"${xml%.xml}-exit.xml"
  fi
}

run_suite "lit (plugin, runtime, examples, package, format)" \
  "$results/lit.xml" python3 "${lit[@]}" -sv --xunit-xml-output "$results/lit.xml" \
  "$GOSTACK_BUILD/test"
run_suite "lit runtime and examples with GOSTACK_DEBUG=$stack_check" \
  "$results/lit-stackdebug.xml" python3 "${lit[@]}" -sv --param gostack_debug="$stack_check" \
  --xunit-xml-output "$results/lit-stackdebug.xml" \
  "${programs[@]/#/$GOSTACK_BUILD/}"
run_suite "lit runtime and examples with GOSTACK_DEBUG=stackcheck=1" \
  "$results/lit-stackcheck.xml" python3 "${lit[@]}" -sv --param gostack_debug=stackcheck=1 \
  --xunit-xml-output "$results/lit-stackcheck.xml" \
  "${programs[@]/#/$GOSTACK_BUILD/}"
# Every concurrent collection checked by a full mark with the world stopped.
run_suite "lit runtime and examples with GOSTACK_DEBUG=gccheckmark=1" \
  "$results/lit-gccheckmark.xml" python3 "${lit[@]}" -sv --param gostack_debug=gccheckmark=1 \
  --xunit-xml-output "$results/lit-gccheckmark.xml" \
  "${programs[@]/#/$GOSTACK_BUILD/}"
run_suite "CTest (runtime unit tests, plain and with GOSTACK_DEBUG)" \
  "$results/ctest.xml" ctest --test-dir "$GOSTACK_BUILD" --output-on-failure \
  --output-junit "$results/ctest.xml"
run_suite "CTest under ASan+UBSan" "$results/ctest-asan.xml" \
  ctest --test-dir "$GOSTACK_BUILD_ASAN" --output-on-failure \
  --output-junit "$results/ctest-asan.xml"
run_suite "lit runtime and examples under ASan+UBSan" \
  "$results/lit-asan.xml" python3 "${lit[@]}" -sv --xunit-xml-output "$results/lit-asan.xml" \
  "${programs[@]/#/$GOSTACK_BUILD_ASAN/}"
run_suite "lit runtime and examples under ASan+UBSan with GOSTACK_DEBUG=$stack_debug" \
  "$results/lit-asan-stackdebug.xml" python3 "${lit[@]}" -sv --param gostack_debug="$stack_debug" \
  --xunit-xml-output "$results/lit-asan-stackdebug.xml" \
  "${programs[@]/#/$GOSTACK_BUILD_ASAN/}"

run_suite "Real projects built with and without the plugin" \
  "$results/projects.xml" python3 "$GOSTACK_ROOT/test/projects/run.py" \
  --build "$GOSTACK_BUILD/projects" --gostack-build "$GOSTACK_BUILD" \
  --results "$results/projects.xml"

# The collector's test without the one that allocates tens of GB to check
# that memory stays bounded: minutes under TSan, and no race to find.
for test in goroutines_test channels_test collector_test mark_team_test; do
  run_suite "$test under TSan" "$results/tsan-$test.xml" \
    "$GOSTACK_BUILD_TSAN/bin/$test" --gtest_output="xml:$results/tsan-$test.xml" \
    --gtest_filter=-Collector.AllocatingFarMoreThanTheHeapKeepsMemoryBounded
done
# Again with eight markers in each stop and two while the program runs
# (heap/mark_team.h), whatever the machine's cores.
run_suite "collector_test under TSan, 8 markers" \
  "$results/tsan-collector_test-markers.xml" env GOSTACK_MAXPROCS=8 \
  "$GOSTACK_BUILD_TSAN/bin/collector_test" \
  --gtest_output="xml:$results/tsan-collector_test-markers.xml" \
  --gtest_filter=-Collector.AllocatingFarMoreThanTheHeapKeepsMemoryBounded

echo
exec python3 "$GOSTACK_ROOT/scripts/summarize-tests.py" "$results"/*.xml
