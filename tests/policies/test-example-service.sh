#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-example-service.sh SOURCE_DIR SEALRUN: checks examples/sealrun-jq.service.
#  1. `systemd-analyze verify` accepts a copy of it whose paths point into
#     this build (verify needs ExecStart's binary to exist), with no warning;
#  2. its ExecStart command line, run directly with the example inputs,
#     prints the expected summary.
# Exit 0 pass, 1 fail, 77 skip (with the reason printed).
set -u
src=$1
sealrun=$2
unit=$src/examples/sealrun-jq.service
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

[[ -f $unit ]] || { echo "FAIL: $unit is missing"; exit 1; }
[[ -x $sealrun ]] || { echo "SKIP: $sealrun is not built"; exit 77; }

work=$(mktemp -d /tmp/sealrun-service-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/etc" "$work/lib"
cp "$src/examples/summary.jq" "$work/etc/summary.jq"
cp "$src/examples/orders.json" "$work/lib/orders.json"

# The unit as installed, with each installed path mapped into this tree.
sed -e "s|/usr/local/bin/sealrun|$sealrun|g" \
    -e "s|/usr/local/share/sealrun/policies|$src/policies|g" \
    -e "s|/etc/sealrun-example/summary.jq|$work/etc/summary.jq|g" \
    -e "s|/var/lib/sealrun-example/orders.json|$work/lib/orders.json|g" \
    "$unit" >"$work/sealrun-jq.service"
grep -q "ExecStart=$sealrun run " "$work/sealrun-jq.service" || fail "ExecStart does not start with /usr/local/bin/sealrun run"

ran=0
if ! command -v systemd-analyze >/dev/null; then
        echo "SKIP (part 1): systemd-analyze is not installed"
else
        # --man=no: the man pages named in Documentation= are not installed
        # on a build machine.  verify exits 0 on some warnings, so its
        # output must be empty as well.
        out=$(systemd-analyze verify --man=no "$work/sealrun-jq.service" 2>&1)
        rc=$?
        if [[ $rc -ne 0 || -n $out ]]; then
                fail "systemd-analyze verify (exit $rc): $out"
        else
                echo "ok - systemd-analyze verify"
        fi
        ran=1
fi

# ExecStart= with its continuation lines joined.
cmdline=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$work/sealrun-jq.service" | sed -e 's/^ExecStart=//' -e 's/\\$//' | tr '\n' ' ')
read -r -a cmd <<<"$cmdline"
if [[ ! -x /usr/bin/jq ]]; then
        echo "SKIP (part 2): /usr/bin/jq is not installed"
else
        out=$(cd "$work" && "${cmd[@]}" 2>"$work/stderr")
        rc=$?
        expected=$'initech\t63\nacme\t41\nglobex\t20'
        if [[ $rc -ne 0 || $out != "$expected" ]]; then
                fail "ExecStart exited $rc with output [$out], stderr: $(cat "$work/stderr")"
        else
                echo "ok - ExecStart prints the summary"
        fi
        ran=1
fi

((failures)) && exit 1
((ran)) || exit 77
exit 0
