#!/usr/bin/env bash
# learn -o proposes Landlock lines from the files a run opened.  With them
# and the learned policy, another input runs; a file the run never opened
# stays unreadable.  That refusal is Landlock's: the learned policy allows
# read-only opens of any path (seccomp cannot see paths).
#   learn_landlock.sh BUILD_DIR
set -euo pipefail
sealrun=$1/launcher/sealrun
fail() { echo "FAIL: $*" >&2; exit 1; }
# landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION): the ABI, or -1.
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))')
[ "$abi" -ge 1 ] || { echo "SKIP: the kernel has no Landlock (landlock_create_ruleset: $abi)"; exit 77; }
[ -x /bin/gzip ] || { echo "SKIP: /bin/gzip is not installed"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
printf 'first\n' | gzip >a.gz
printf 'second file\n' | gzip >b.gz
printf 'the secret\n' | gzip >secret.gz
cat >gzip.workload <<'WORKLOAD'
program /bin/gzip
exec path
argv /bin/gzip -dc @in
input in fd=3 max=1M
WORKLOAD

if ! "$sealrun" learn -o gzip.policy gzip.workload --input in=a.gz >learn.out 2>learn.err; then
        grep -q "user notification.*not available" learn.err &&
                { echo "SKIP: no seccomp user notification: $(head -n1 learn.err)"; exit 77; }
        fail "learn: $(cat learn.err)"
fi
[ "$(cat learn.out)" = first ] || fail "learn run printed: $(cat learn.out)"
grep '^landlock ' learn.err >landlock.lines || fail "no Landlock lines proposed: $(cat learn.err)"
grep -q '^landlock exec .*/gzip' landlock.lines || fail "gzip itself is not proposed as exec: $(cat landlock.lines)"
grep -q 'ld-linux' landlock.lines || fail "the ELF interpreter is not proposed: $(cat landlock.lines)"
if grep -q 'secret\|/proc' landlock.lines; then fail "proposed what the run never opened: $(cat landlock.lines)"; fi

{
        cat gzip.workload landlock.lines
        echo "seccomp default kill-process"
        echo "seccomp include ./gzip.policy"
} >confined.workload
out=$("$sealrun" run confined.workload --input in=b.gz) || fail "another input under the learned lines: exit $?"
[ "$out" = "second file" ] || fail "another input printed: $out"

# The attack: gzip opens a second file by path.  seccomp lets the read-only
# open through; Landlock refuses it.
status=0
out=$("$sealrun" run confined.workload --input in=b.gz -- "$dir/secret.gz" 2>err) || status=$?
[ "$status" = 1 ] || fail "reading secret.gz: expected gzip's exit 1, got $status: $(cat err)"
grep -q 'secret.gz: Permission denied' err || fail "reading secret.gz: $(cat err)"
case $out in *secret*) fail "the secret was read: $out" ;; esac
# Control: without the Landlock lines the same run reads it.
{ cat gzip.workload; echo "seccomp default kill-process"; echo "seccomp include ./gzip.policy"; } >open.workload
out=$("$sealrun" run open.workload --input in=b.gz -- "$dir/secret.gz") || fail "control run: exit $?"
case $out in *"the secret"*) ;; *) fail "control run did not read the secret: $out" ;; esac
# A script: the proposal names its #! program and that one's loader, or
# the kernel could not execute it under the lines.
printf '#!/bin/sh\necho script ok\n' >script.sh
chmod +x script.sh
"$sealrun" learn exec -o script.policy -- "$dir/script.sh" >/dev/null 2>learn.err || fail "learn of a script: $(cat learn.err)"
grep '^landlock ' learn.err >script.lines || fail "no Landlock lines for a script: $(cat learn.err)"
landlock=()
while read -r _ grant paths; do landlock+=(--landlock "$grant $paths"); done <script.lines
out=$("$sealrun" exec "${landlock[@]}" -- "$dir/script.sh" 2>&1) || fail "the script under its proposed lines: $out"
[ "$out" = "script ok" ] || fail "the script under its proposed lines printed: $out"

echo "ok: learned Landlock lines run another input and keep an unopened file unreadable"
