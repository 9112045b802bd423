#!/usr/bin/env bash
# `sealrun learn` against a hostile or odd program, and odd output files:
# each case tries the thing that must not work and checks that it did not.
#   learn_attacks.sh BUILD_DIR
set -euo pipefail
sealrun=$1/launcher/sealrun
fail() { echo "FAIL: $*" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
if ! "$sealrun" learn exec -o probe.policy -- /bin/true 2>probe.err; then
        grep -q "user notification.*not available" probe.err &&
                { echo "SKIP: no seccomp user notification: $(head -n1 probe.err)"; exit 77; }
        fail "learn of /bin/true: $(cat probe.err)"
fi

# 1. The program replaces the temp file the policy would be written through.
"$sealrun" learn exec -o learned.policy -- /bin/sh -c \
        'for f in .learned.policy.*; do printf "@default allow\n" >x; mv x "$f"; done' 2>/dev/null
grep -q '^@default kill-process$' learned.policy || fail "the program replaced the learned policy: $(head -3 learned.policy)"
if grep -q '^@default allow' learned.policy; then fail "@default allow got in"; fi
if ls -a | grep -Eq '^\.learned\.policy\.[A-Za-z0-9]{6}$'; then fail "a temp file is left: $(ls -a)"; fi

# 2. A newline in an argument must not end the header comment.
"$sealrun" learn exec -o inj.policy -- /bin/echo $'x\nptrace: 1\n#' >/dev/null 2>&1
if grep -q '^ptrace' inj.policy; then fail "an argument wrote a statement: $(grep -n ptrace inj.policy)"; fi
grep -q "\$'x\\\\x0aptrace: 1\\\\x0a#'" inj.policy || fail "the command is not quoted back: $(grep '^#   sealrun' inj.policy)"
"$sealrun" check inj.policy >/dev/null || fail "inj.policy does not check"
# ... nor one in the program's path or the policy's name, which the header names too.
cp /bin/true $'t\nptrace: 1'
"$sealrun" learn exec -o $'n\nptrace: 1.policy' -- "$dir/"$'t\nptrace: 1' 2>/dev/null
if grep -q '^ptrace' $'n\nptrace: 1.policy'; then fail "a path wrote a statement"; fi
"$sealrun" check $'n\nptrace: 1.policy' >/dev/null || fail "the policy named with a newline does not check"

# 3. Output names that are no file: refused before the program starts.
mkdir adir
for o in adir '' foo/; do
        status=0
        "$sealrun" learn exec -o "$o" --force -- /bin/touch started 2>err || status=$?
        [ "$status" = 125 ] || fail "-o '$o': exit $status"
        [ "$(wc -l <err)" = 1 ] || fail "-o '$o': more than one line: $(cat err)"
        [ ! -e started ] || fail "-o '$o': the program ran"
done

# 4. --check of a FIFO: refused, not read forever.
mkfifo fifo
status=0
timeout 20 "$sealrun" learn exec --check fifo -- /bin/touch started 2>err || status=$?
[ "$status" = 125 ] || fail "--check fifo: exit $status: $(cat err)"
grep -q 'not a regular file' err || fail "--check fifo: $(cat err)"
[ ! -e started ] || fail "--check fifo: the program ran"

# 5. --merge through a symlink: the file it names gets the block, the link stays.
printf '@default kill-process\nexit_group: 1\n' >real.policy
ln -s real.policy link.policy
"$sealrun" learn exec --merge link.policy -- /bin/true 2>/dev/null
[ -L link.policy ] || fail "--merge replaced the symlink"
grep -q '^# run 1, ' real.policy || fail "--merge did not reach the file the link names"

# 6. A policy edited while the program ran: nothing merged over the edit.
printf '@default kill-process\nexit_group: 1\n' >edited.policy
status=0
"$sealrun" learn exec --merge edited.policy -- /bin/sh -c 'echo "# edited" >>edited.policy' 2>err || status=$?
[ "$status" = 125 ] || fail "an edited policy: exit $status: $(cat err)"
grep -q 'changed while the program ran' err || fail "an edited policy: $(cat err)"
[ "$(tail -n1 edited.policy)" = "# edited" ] || fail "the edit was lost: $(cat edited.policy)"

# 7. sealrun's own exec fails after the filter is loaded (the script's
# interpreter is missing: prepare cannot see that): said, nothing written.
printf '#!/nonexistent/interpreter\n' >script
chmod +x script
status=0
"$sealrun" learn exec -o script.policy -- "$dir/script" 2>err || status=$?
[ "$status" = 127 ] || fail "exec of a script without interpreter: exit $status: $(cat err)"
grep -q "program '$dir/script': cannot execute: No such file or directory" err ||
        fail "exec of a script without interpreter said: $(cat err)"
[ ! -e script.policy ] || fail "a policy was written for a program that never ran"

# 8. After the target exits, SIGTERM reaches what it left behind (a shell
# starts a background job with SIGINT ignored, so TERM).
"$sealrun" learn exec -o orphan.policy -- /bin/sh -c '/bin/sleep 60 >/dev/null 2>&1 &' 2>/dev/null &
pid=$!
sleep 2
kill -TERM "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fail "SIGTERM did not end a run waiting for an orphan"; fi
wait "$pid" || true
[ -e orphan.policy ] || fail "no policy after SIGTERM"

# 9. A syscall the tables have no name for: warned about, never a statement.
python3=/usr/bin/python3
if [ -x "$python3" ]; then
        "$sealrun" learn exec -o nameless.policy -- "$python3" -c \
                'import ctypes; ctypes.CDLL(None).syscall(1000)' 2>err
        grep -q 'warning: syscall_1000 (1 calls) has no name' err || fail "no warning for syscall 1000: $(cat err)"
        if grep -q '^syscall_1000' nameless.policy; then fail "syscall_1000 became a statement"; fi
        "$sealrun" check nameless.policy >/dev/null || fail "nameless.policy does not check"
        # --merge counts the same statements on stderr and in the file.
        printf '@default kill-process\nexit_group: 1\n' >few.policy
        "$sealrun" learn exec --merge few.policy -- "$python3" -c \
                'import ctypes; ctypes.CDLL(None).syscall(1000)' 2>err
        said=$(sed -n 's/^sealrun: learn: added \([0-9]*\) statements* to few.policy$/\1/p' err)
        written=$(sed -n 's/^#   added by run 1: \([0-9]*\) statements* .*/\1/p' few.policy)
        [ -n "$said" ] && [ "$said" = "$written" ] || fail "--merge said $said statements, wrote $written"
fi
# 10. An exec of a FIFO: the supervisor looks for the interpreter of what is
# executed, and must not block opening it (nor open a device at all).
mkfifo exec-fifo
status=0
timeout 30 "$sealrun" learn exec -o fifo.policy -- /bin/sh -c "'$dir/exec-fifo'; echo after \$?" >out 2>err ||
        status=$?
[ "$status" = 0 ] || fail "exec of a FIFO under learn: exit $status (124: it hung): $(cat err)"
grep -q 'after 126' out || fail "exec of a FIFO under learn: $(cat out err)"

# 11. -o without --force: a file the program makes at that name is kept.
status=0
"$sealrun" learn exec -o made.policy -- /bin/sh -c 'echo precious >made.policy' 2>err || status=$?
[ "$status" = 125 ] || fail "a file made during the run: exit $status: $(cat err)"
[ "$(cat made.policy)" = precious ] || fail "the program's file was replaced: $(head -2 made.policy)"
grep -q 'appeared while the program ran' err || fail "a file made during the run: $(cat err)"

echo "ok: learn held against a replaced temp file, injected newlines, odd outputs, edits, a failed exec, orphans"
