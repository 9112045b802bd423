#!/bin/bash
# trace-syscalls.sh OUT RUNNER-ARGS...: how the lists in policies/*.policy
# were derived.  Runs run_with_filter without a filter ("-") under strace,
# so the program sees its inputs as sealed memfds and an empty environment,
# as under sealrun; keeps only what happens after the runner's own exec of
# the target and prints one line per syscall with its count.
#   strace -f -qq -e trace=all -o OUT run_with_filter ARGS...   (every call, with arguments)
#   strace -f -c               -o OUT.c run_with_filter ARGS... (the summary)
set -euo pipefail
out=$1
shift
runner=${RUN_WITH_FILTER:-$(dirname "$0")/../../build/tests/policies/run_with_filter}
strace -f -qq -e trace=all -o "$out" "$runner" "$@" </dev/null >"$out.stdout" 2>"$out.stderr" || echo "exit status $?"
strace -f -c -o "$out.c" "$runner" "$@" </dev/null >/dev/null 2>&1 || true
first=$(grep -nE 'exec(ve|veat)\(.*= 0$' "$out" | tail -1 | cut -d: -f1)
tail -n +"$first" "$out" | sed -E 's/^[0-9]+ +//' >"$out.target"
grep -oE '^[a-z0-9_]+' "$out.target" | sort | uniq -c | sort -rn
