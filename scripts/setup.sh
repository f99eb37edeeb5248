#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: installs the Debian packages that are
# missing, then configures (once) and builds. Idempotent: when everything is
# installed and up to date it only asks dpkg and ninja, and returns.
#
#   source scripts/setup.sh; gostack_setup [--sanitizers]

GOSTACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GOSTACK_BUILD="$GOSTACK_ROOT/build"
GOSTACK_BUILD_ASAN="$GOSTACK_ROOT/build-asan"
GOSTACK_BUILD_TSAN="$GOSTACK_ROOT/build-tsan"
GOSTACK_LLVM=/usr/lib/llvm-19

# clang (Debian's default, Clang 14) and g++ are there for the tests that
# prove the plugin refuses another compiler; clang-tidy-19 loads the tidy
# module; clangd-19 and neovim run the editor test (docs/EDITORS.md).
GOSTACK_PACKAGES=(
  clang-19 llvm-19-dev libclang-19-dev llvm-19-tools libclang-rt-19-dev
  clang-format-19 cmake ninja-build libgtest-dev libbenchmark-dev python3
  libstdc++-12-dev g++ clang git nlohmann-json3-dev libfmt-dev libgc-dev
  libboost-fiber-dev libboost-context-dev lld-19 clang-tidy-19 clangd-19
  neovim nodejs
)

gostack_install_missing() {
  local missing=() package
  for package in "${GOSTACK_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== Installing missing packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: installing packages needs root; run as root, or:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# gostack_build [--target T] DIR [CMAKE_ARGS...]: configure DIR once, then
# build it (only target T if given).
gostack_build() {
  local target=()
  if [ "$1" = --target ]; then
    target=(--target "$2")
    shift 2
  fi
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$GOSTACK_ROOT" -B "$dir" -G Ninja \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER="$GOSTACK_LLVM/bin/clang++" \
      -DCMAKE_C_COMPILER="$GOSTACK_LLVM/bin/clang" "$@" >/dev/null
  fi
  # Quiet unless it fails: then the log says why.
  local log="$dir/build.log" status=0
  cmake --build "$dir" "${target[@]}" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    grep -v -E '^\[[0-9]+/[0-9]+\]|^ninja: (Entering|no work)' "$log" | tail -n 60
    echo "build of $dir failed (whole log: $log)"
  fi
  return "$status"
}

gostack_setup() {
  gostack_install_missing
  echo "== Building in $GOSTACK_BUILD"
  gostack_build "$GOSTACK_BUILD"
  if [ "${1:-}" = "--sanitizers" ]; then
    echo "== Building the ASan+UBSan runtime in $GOSTACK_BUILD_ASAN"
    gostack_build "$GOSTACK_BUILD_ASAN" -DGOSTACK_SANITIZE=address,undefined \
      -DGOSTACK_BUILD_BENCH=OFF -DGOSTACK_BUILD_TOOLS=OFF
    echo "== Building the scheduler, collector and marking tests under TSan in $GOSTACK_BUILD_TSAN"
    gostack_build --target goroutines_test "$GOSTACK_BUILD_TSAN" \
      -DGOSTACK_SANITIZE=thread -DGOSTACK_BUILD_BENCH=OFF &&
      gostack_build --target channels_test "$GOSTACK_BUILD_TSAN" &&
      gostack_build --target collector_test "$GOSTACK_BUILD_TSAN" &&
      gostack_build --target mark_team_test "$GOSTACK_BUILD_TSAN"
  fi
}
