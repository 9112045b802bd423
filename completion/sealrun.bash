# bash completion for sealrun(1)                          -*- shell-script -*-
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Commands; each command's options, read from `sealrun COMMAND --help` (so
# they follow the installed launcher) with a built-in list as fallback;
# *.workload files for `run`, *.policy and *.workload files for `check`,
# *.policy for `compile`; for `learn`, `exec` (right after it) or a
# workload, *.policy after --merge/--check (`learn exec` completes as `exec`
# does, with learn's options too); `list` and `clear` for `cache`; the input names
# of the workload after --input; for `import`, its kinds, *.json profiles and systemd's @groups (read from
# `sealrun import --help`).
# Needs nothing from the bash-completion package.

_sealrun_commands="run exec learn check compile import cache"

# Options of COMMAND, one per word: parsed from --help once per shell.
_sealrun_options() {
        local cmd=$1 prog=$2 var="_sealrun_opts_${1}" help
        if [[ -z ${!var+set} ]]; then
                help=$("$prog" "$cmd" --help 2>/dev/null) || help=
                local opts
                opts=$(grep -oE -- '(^|[[:space:],[])--[a-z][a-z0-9-]*' <<<"$help" |
                        grep -oE -- '--[a-z][a-z0-9-]*' | sort -u | tr '\n' ' ')
                if [[ -z $opts ]]; then
                        case $cmd in
                        run) opts="--dry-run --json --no-cache --input --input-fd --status-fd --explain --help" ;;
                        exec) opts="--input --input-fd --input-spec --sealed --sha256 --env --keep-env --cwd
                                    --rlimit --cap --seccomp-policy --default-action --listen-fds
                                    --landlock --user --group --groups
                                    --dry-run --json --no-cache --status-fd --explain --help" ;;
                        check) opts="--include-prefix --default-action --arch --quiet --help" ;;
                        compile) opts="--output --include-prefix --default-action --arch --optimize --help" ;;
                        import) opts="--output --cap --kernel --help" ;;
                        learn) opts="--output --force --merge --check --allow-privileged
                                     --no-cache --input --input-fd --status-fd --help" ;;
                        esac
                fi
                printf -v "$var" '%s' "$opts"
        fi
        printf '%s\n' ${!var}
}

# Files ending in one of the SUFFIXES (and directories, to descend into).
_sealrun_files() {
        local cur=$1 suffix f
        shift
        local IFS=$'\n'
        for f in $(compgen -d -- "$cur"); do
                COMPREPLY+=("$f/")
        done
        for suffix in "$@"; do
                for f in $(compgen -f -X "!*.$suffix" -- "$cur"); do
                        [[ -f $f ]] && COMPREPLY+=("$f")
                done
        done
        compopt -o nospace -o filenames 2>/dev/null
}

# The names declared by `input NAME ...` lines of a workload file.
_sealrun_input_names() {
        [[ -r $1 ]] || return 0
        sed -n 's/^[[:space:]]*input[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_.-]*\).*/\1/p' "$1"
}

_sealrun() {
        local cur=${COMP_WORDS[COMP_CWORD]} prev=
        ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
        local prog=${COMP_WORDS[0]}
        COMPREPLY=()

        # The command is the first word that is not an option.
        local i cmd= cmd_at=0
        for ((i = 1; i < COMP_CWORD; i++)); do
                if [[ ${COMP_WORDS[i]} != -* ]]; then
                        cmd=${COMP_WORDS[i]} cmd_at=$i
                        break
                fi
        done
        if [[ -z $cmd ]]; then
                COMPREPLY=($(compgen -W "$_sealrun_commands --help --version" -- "$cur"))
                return 0
        fi

        # After "--" come the program's own arguments: plain files, or for
        # `exec` the program itself first.
        local dashdash=0 workload= learn_exec=0
        for ((i = cmd_at + 1; i < COMP_CWORD; i++)); do
                case ${COMP_WORDS[i]} in
                --) ((dashdash)) || dashdash=$i ;;
                exec) [[ $cmd == learn && $i == $((cmd_at + 1)) ]] && learn_exec=1 ;;
                *.workload) [[ -z $workload && $dashdash == 0 ]] && workload=${COMP_WORDS[i]} ;;
                esac
        done
        if ((dashdash)); then
                if [[ ($cmd == exec || $learn_exec == 1) && $dashdash == $((COMP_CWORD - 1)) ]]; then
                        COMPREPLY=($(compgen -c -- "$cur"))
                else
                        local IFS=$'\n'
                        COMPREPLY=($(compgen -f -- "$cur"))
                        compopt -o filenames 2>/dev/null
                fi
                return 0
        fi

        case $prev in
        --user) COMPREPLY=($(compgen -u -- "$cur")); return 0 ;;
        --group) COMPREPLY=($(compgen -g -- "$cur")); return 0 ;;
        esac

        # `--input NAME=PATH`: bash splits at '=' when it is in
        # COMP_WORDBREAKS (the default), giving "NAME" "=" "PATH" words.
        local opt=$prev name=
        if [[ $prev == = && $COMP_CWORD -ge 3 ]]; then
                opt=${COMP_WORDS[COMP_CWORD - 3]} name=${COMP_WORDS[COMP_CWORD - 2]}
        elif [[ $cur == *=* ]]; then
                name=${cur%%=*}
        fi
        case $opt in
        --input-fd)
                if [[ -z $name ]]; then
                        COMPREPLY=($(compgen -S = -W "$(_sealrun_input_names "$workload")" -- "$cur"))
                        compopt -o nospace 2>/dev/null
                fi
                return 0
                ;;
        --input)
                if [[ -n $name ]]; then
                        local value=${cur#"$name="}
                        local IFS=$'\n'
                        COMPREPLY=($(compgen -f -- "$value"))
                        [[ $cur == *=* ]] && COMPREPLY=("${COMPREPLY[@]/#/$name=}")
                        compopt -o filenames 2>/dev/null
                else
                        COMPREPLY=($(compgen -S = -W "$(_sealrun_input_names "$workload")" -- "$cur"))
                        compopt -o nospace 2>/dev/null
                fi
                return 0
                ;;
        -o | --output)
                local IFS=$'\n'
                COMPREPLY=($(compgen -f -- "$cur"))
                compopt -o filenames 2>/dev/null
                return 0
                ;;
        --seccomp-policy | --merge | --check)
                _sealrun_files "$cur" policy
                return 0
                ;;
        --default-action)
                COMPREPLY=($(compgen -W "kill-process kill-thread kill trap log errno allow" -- "$cur"))
                return 0
                ;;
        --optimize)
                COMPREPLY=($(compgen -W "linear tree" -- "$cur"))
                return 0
                ;;
        --arch)
                COMPREPLY=($(compgen -W "x86_64 x86 x32 aarch64 arm riscv64 ppc64le s390x" -- "$cur"))
                return 0
                ;;
        --cwd)
                COMPREPLY=($(compgen -d -- "$cur"))
                return 0
                ;;
        --status-fd | --env | --keep-env | --rlimit | --cap | --sha256 | --include-prefix | --input-spec | --kernel)
                return 0
                ;;
        esac

        if [[ $cur == -* ]]; then
                local opts
                opts=$(_sealrun_options "$cmd" "$prog")
                ((learn_exec)) && opts=$(printf '%s\n' $opts $(_sealrun_options exec "$prog") | sort -u)
                COMPREPLY=($(compgen -W "$opts" -- "$cur"))
                return 0
        fi
        case $cmd in
        run) [[ -z $workload ]] && _sealrun_files "$cur" workload ;;
        learn)
                if [[ -z $workload && $learn_exec == 0 ]]; then
                        _sealrun_files "$cur" workload
                        ((COMP_CWORD == cmd_at + 1)) && COMPREPLY+=($(compgen -W "exec" -- "$cur"))
                fi
                ;;
        check) _sealrun_files "$cur" policy workload ;;
        compile) _sealrun_files "$cur" policy ;;
        import) _sealrun_import "$cmd_at" "$cur" "$prog" ;;
        cache) ((COMP_CWORD == cmd_at + 1)) && COMPREPLY=($(compgen -W "list clear" -- "$cur")) ;;
        esac
        return 0
}

# `import KIND ...`: the kind, then a profile or systemd's groups.
_sealrun_import() {
        local cmd_at=$1 cur=$2 prog=$3 i kind=
        for ((i = cmd_at + 1; i < COMP_CWORD; i++)); do
                [[ ${COMP_WORDS[i]} != -* ]] && kind=${COMP_WORDS[i]} && break
        done
        case $kind in
        '') COMPREPLY=($(compgen -W "docker systemd" -- "$cur")) ;;
        docker) _sealrun_files "$cur" json ;;
        systemd)
                local groups
                groups=$("$prog" import --help 2>/dev/null | grep -oE -- '@[a-z][a-z-]*' | sort -u | tr '\n' ' ')
                COMPREPLY=($(compgen -W "$groups" -- "$cur"))
                ;;
        esac
}

complete -F _sealrun sealrun
