#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-completion.sh COMPLETION-FILE [SEALRUN]: sources the bash completion
# and checks what it offers for a few command lines, in a temp directory
# with workload and policy files.  SEALRUN (the built launcher) is put on
# PATH when given, so options come from its --help.  Exit 0 when every
# check passes, 1 otherwise (each failure printed).
set -u
completion=$(realpath "$1")
sealrun=${2:-}

failures=0
check() { # NAME EXPECTED ACTUAL
        if [[ $2 == "$3" ]]; then
                echo "ok - $1"
        else
                echo "not ok - $1: expected [$2], got [$3]"
                failures=$((failures + 1))
        fi
}
contains() { # NAME NEEDLE WORDS...
        local name=$1 needle=$2 w
        shift 2
        for w; do
                [[ $w == "$needle" ]] && { echo "ok - $name"; return; }
        done
        echo "not ok - $name: [$needle] not in [$*]"
        failures=$((failures + 1))
}

# complete_line "sealrun run x" -> COMPREPLY for the last word, split the
# way readline does (words at blanks, '=' its own word: COMP_WORDBREAKS).
complete_line() {
        local line=$1
        local -a words
        read -r -a words <<<"${line//=/ = }"
        [[ $line == *" " ]] && words+=("")
        COMP_WORDS=("${words[@]}")
        COMP_CWORD=$((${#words[@]} - 1))
        COMP_LINE=$line
        COMP_POINT=${#line}
        COMPREPLY=()
        _sealrun 2>/dev/null
}

work=$(mktemp -d /tmp/sealrun-completion-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
printf 'program /usr/bin/jq\ninput program fd=3 max=64K\ninput data fd=4\n  input extra fd=5 optional\n' >jq.workload
: >jq.policy
: >notes.txt
: >profile.json
mkdir sub
: >sub/inner.workload

[[ -n $sealrun ]] && PATH=$(dirname "$sealrun"):$PATH

# shellcheck source=/dev/null
source "$completion"

check "complete -p registers _sealrun" "complete -F _sealrun sealrun" "$(complete -p sealrun)"

complete_line "sealrun "
check "commands" "run exec learn check compile import cache --help --version" "${COMPREPLY[*]}"
complete_line "sealrun c"
check "commands starting with c" "check compile cache" "${COMPREPLY[*]}"
complete_line "sealrun cache "
check "cache subcommands" "list clear" "${COMPREPLY[*]}"
complete_line "sealrun run --no"
check "run offers --no-cache" "--no-cache" "${COMPREPLY[*]}"

complete_line "sealrun run "
check "run offers workload files and directories" "sub/ jq.workload" "${COMPREPLY[*]}"
complete_line "sealrun run sub/"
check "run descends into directories" "sub/inner.workload" "${COMPREPLY[*]}"

complete_line "sealrun check "
check "check offers policies and workloads" "sub/ jq.policy jq.workload" "${COMPREPLY[*]}"
complete_line "sealrun compile "
check "compile offers policies" "sub/ jq.policy" "${COMPREPLY[*]}"

complete_line "sealrun run --"
contains "run options include --dry-run" --dry-run "${COMPREPLY[@]}"
contains "run options include --input" --input "${COMPREPLY[@]}"
complete_line "sealrun run --dr"
check "run option prefix" "--dry-run" "${COMPREPLY[*]}"
complete_line "sealrun exec --"
contains "exec options include --seccomp-policy" --seccomp-policy "${COMPREPLY[@]}"

complete_line "sealrun run jq.workload --input "
check "input names from the workload file" "program= data= extra=" "${COMPREPLY[*]}"
complete_line "sealrun run jq.workload --input d"
check "input name prefix" "data=" "${COMPREPLY[*]}"
complete_line "sealrun run jq.workload --input data=no"
check "input path after NAME=" "notes.txt" "${COMPREPLY[*]}"

complete_line "sealrun run jq.workload --input-fd ex"
check "input-fd names" "extra=" "${COMPREPLY[*]}"
complete_line "sealrun compile jq.policy --optimize "
check "optimize layouts" "linear tree" "${COMPREPLY[*]}"
complete_line "sealrun compile jq.policy --output jq.p"
check "output file" "jq.policy" "${COMPREPLY[*]}"

complete_line "sealrun compile jq.policy --default-action k"
check "default actions" "kill-process kill-thread kill" "${COMPREPLY[*]}"

complete_line "sealrun import "
check "import kinds" "docker systemd" "${COMPREPLY[*]}"
complete_line "sealrun import docker "
check "import docker offers JSON profiles" "sub/ profile.json" "${COMPREPLY[*]}"
complete_line "sealrun import systemd @sy"
check "import systemd offers systemd's groups" "@sync @system-service" "${COMPREPLY[*]}"
complete_line "sealrun import docker profile.json --"
contains "import options include --cap" --cap "${COMPREPLY[@]}"

complete_line "sealrun l"
check "learn is a command" "learn" "${COMPREPLY[*]}"
complete_line "sealrun learn "
check "learn offers workloads, directories and exec" "sub/ jq.workload exec" "${COMPREPLY[*]}"
complete_line "sealrun learn --me"
check "learn offers --merge" "--merge" "${COMPREPLY[*]}"
complete_line "sealrun learn --"
contains "learn options include --allow-privileged" --allow-privileged "${COMPREPLY[@]}"
contains "learn options include --force" --force "${COMPREPLY[@]}"
contains "learn options include --check" --check "${COMPREPLY[@]}"
complete_line "sealrun learn --check "
check "learn --check offers policies" "sub/ jq.policy" "${COMPREPLY[*]}"
complete_line "sealrun learn --merge jq.policy "
check "learn after --merge POLICY offers workloads (exec comes first)" "sub/ jq.workload" "${COMPREPLY[*]}"
complete_line "sealrun learn -o new.policy jq.workload --input d"
check "learn input names from the workload" "data=" "${COMPREPLY[*]}"
complete_line "sealrun learn exec -o new.policy --seccomp-p"
check "learn exec offers exec's options" "--seccomp-policy" "${COMPREPLY[*]}"
complete_line "sealrun learn exec -o new.policy --for"
check "learn exec offers learn's options" "--force" "${COMPREPLY[*]}"
complete_line "sealrun learn exec -o new.policy -- bas"
contains "learn exec program after -- finds bash" bash "${COMPREPLY[@]}"
complete_line "sealrun learn -o new.policy jq.workload -- "
contains "learn WORKLOAD -- offers files" notes.txt "${COMPREPLY[@]}"

complete_line "sealrun exec --sealed -- jq-no-such-command-"
check "exec program after -- is a command" "" "${COMPREPLY[*]}"
complete_line "sealrun exec -- bas"
contains "exec program after -- finds bash" bash "${COMPREPLY[@]}"

if ((failures)); then
        echo "$failures check(s) failed"
        exit 1
fi
echo "all checks passed"
