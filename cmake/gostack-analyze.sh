#!/usr/bin/env bash
# gostack-analyze.sh ANALYZER_LIBRARY MANAGED COMPILER ARGS...
#
# The compiler launcher gostack_enable() sets under -DGOSTACK_ANALYZE=ON:
# runs Clang's static analyzer with gostack's checkers (docs/ANALYZER.md)
# on the compile command -- its warnings print with the build's -- then the
# compile itself. MANAGED is `all` for the plugin's managed=all, else
# `marked`.
set -u
library=$1 managed=$2
shift 2
analyze=()
skip_next=0
for arg in "$@"; do
  if ((skip_next)); then
    skip_next=0
    continue
  fi
  case $arg in
  -c | -MD | -MMD) ;;
  -o | -MF | -MT | -MQ) skip_next=1 ;;
  *) analyze+=("$arg") ;;
  esac
done
"${analyze[@]}" --analyze --analyzer-no-default-checks --analyzer-output text \
  -Xclang -load -Xclang "$library" -Xclang -analyzer-checker=gostack \
  -Xclang -analyzer-config -Xclang "gostack:managed=$managed" || exit
exec "$@"
