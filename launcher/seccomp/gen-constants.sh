#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Generate the named-constant table from the system headers at build time:
#   gen-constants.sh CC HEADERS FAMILIES EXTRA OUT.c WORKDIR
# As minijail's gen_constants.sh does, every object-like macro with an
# upper-case name is a candidate; FAMILIES says which names to leave out.
# For each header group of HEADERS (constants-headers.h), in order:
# 1. `CC -dM -E -DCONSTANTS_GROUP=N` lists every macro the headers define;
# 2. names not yet valued by an earlier group are kept;
# 3. each name is used where C wants an integer constant expression
#    (an enumerator), so only those compile (ioctl numbers such as TCGETS2 are expressions;
#    SIGSTKSZ, which glibc makes a sysconf() call, is not); names that do
#    not compile are dropped, found from the compiler's own error lines;
# 4. a generated program prints the rest as the compiler evaluates them.
# Then names in EXTRA (constants newer than the headers, each cited there)
# are added only when no header defines them, and the printed values
# become a sorted C table.
set -eu
cc=$1 headers=$2 families=$3 extra=$4 out=$5 work=$6
mkdir -p "$work"

groups=$(sed -n 's/^#define CONSTANTS_GROUPS \([0-9][0-9]*\)$/\1/p' "$headers")
[ -n "$groups" ] || { echo "gen-constants.sh: $headers: no '#define CONSTANTS_GROUPS N'" >&2; exit 1; }
exclude=$(sed -n 's/^!//p' "$families" | paste -sd'|' -)

# errno names get a flag so `return ENAME` accepts only real errno values.
printf '#include <errno.h>\n' | $cc -dM -E -x c - | awk '$1 == "#define" { print $2 }' | sort -u >"$work/errno-names.txt"

# Line k + 2 of check-N.c uses name k of names-N.txt in an enumerator,
# where C accepts only an integer constant expression (no address, no call),
# each on its own line so the compiler reports every name that is not one.
# The `| 0` refuses a string or a struct in both compilers: gcc otherwise
# folds `(unsigned long long) "str" == 0` and would print the string's
# address as the constant's value.
# Every error, not the first few: gcc and clang spell that differently.
error_limit=-fmax-errors=0
if $cc --version 2>/dev/null | grep -qi clang; then error_limit=-ferror-limit=0; fi
check() {
        {
                printf '#define CONSTANTS_GROUP %s\n#include "%s"\n' "$1" "$headers"
                awk '{ printf "enum { sealrun_constant_%d = ((unsigned long long) ((%s) | 0)) == 0 };\n", NR, $1 }' \
                        "$work/names-$1.txt"
        } >"$work/check-$1.c"
        $cc -w $error_limit -fsyntax-only "$work/check-$1.c" 2>"$work/errors-$1.txt"
}

# evaluate N: names-N.txt (the constants kept) -> values-N.txt ("NAME VALUE").
evaluate() {
        tries=0
        until check "$1"; do
                tries=$((tries + 1))
                # An error inside a header's macro names our line in its "in
                # expansion of macro" note.
                grep -oE "check-$1\.c:[0-9]+:[0-9]+: (error|note: in expansion of macro)" "$work/errors-$1.txt" |
                        cut -d: -f2 | sort -un |
                        awk '{ print $1 - 2 }' >"$work/bad-lines-$1.txt"
                if [ "$tries" -ge 4 ] || [ ! -s "$work/bad-lines-$1.txt" ]; then
                        cat "$work/errors-$1.txt" >&2
                        exit 1
                fi
                awk 'FILENAME == ARGV[1] { bad[$1] = 1; next } !(FNR in bad)' "$work/bad-lines-$1.txt" \
                        "$work/names-$1.txt" >"$work/names-$1.next"
                mv "$work/names-$1.next" "$work/names-$1.txt"
        done
        {
                printf '#define CONSTANTS_GROUP %s\n#include "%s"\n' "$1" "$headers"
                printf 'static const struct { const char *n; unsigned long long v; } t[] = {\n'
                awk '{ printf "{ \"%s\", (unsigned long long) (%s) },\n", $1, $1 }' "$work/names-$1.txt"
                printf '};\nint main(void) {\n'
                printf '        for (unsigned long i = 0; i < sizeof(t) / sizeof(t[0]); i++)\n'
                printf '                __builtin_printf("%%s %%llu\\n", t[i].n, t[i].v);\n'
                printf '        return 0;\n}\n'
        } >"$work/print-$1.c"
        $cc -w -o "$work/print-$1" "$work/print-$1.c"
        "$work/print-$1" >"$work/values-$1.txt"
}

: >"$work/header-values.txt"
: >"$work/alias-names.txt"
g=1
while [ "$g" -le "$groups" ]; do
        $cc -w -dM -E -DCONSTANTS_GROUP="$g" -x c "$headers" >"$work/macros-$g.txt"
        awk 'FILENAME == ARGV[1] { have[$1] = 1; next }
             $1 == "#define" && $2 ~ /^[A-Z][A-Z0-9_]*$/ && $0 !~ /"/ && NF >= 3 && !($2 in have) { print $2 }' \
                "$work/header-values.txt" "$work/macros-$g.txt" | grep -Ev "^($exclude)\$" |
                sort -u >"$work/names-$g.txt" || true
        evaluate "$g"
        # An alias is defined as another name (O_NDELAY O_NONBLOCK): reverse
        # lookups prefer the name defined by a value.
        awk 'FILENAME == ARGV[1] { valued[$1] = 1; next }
             $1 == "#define" && NF == 3 && $3 ~ /^\(?[A-Za-z_][A-Za-z0-9_]*\)?$/ && ($2 in valued) { print $2 }' \
                "$work/values-$g.txt" "$work/macros-$g.txt" >>"$work/alias-names.txt"
        cat "$work/values-$g.txt" >>"$work/header-values.txt"
        g=$((g + 1))
done

awk 'FILENAME == ARGV[1] { have[$1] = 1; next }
     /^[ \t]*(#|$)/ { next }
     NF != 2 { printf "gen-constants.sh: %s:%d: expected NAME VALUE\n", FILENAME, FNR > "/dev/stderr"; exit 1 }
     !($1 in have) { v = $2; if (v ~ /^0x/) { n = 0; for (i = 3; i <= length(v); i++) n = n * 16 + index("0123456789abcdef", tolower(substr(v, i, 1))) - 1; v = n }
                     printf "%s %.0f extra\n", $1, v }' "$work/header-values.txt" "$extra" >"$work/extra-values.txt"
cat "$work/header-values.txt" "$work/extra-values.txt" | LC_ALL=C sort -k1,1 >"$work/values.txt"
# Names live in one string, entries hold offsets into it: no pointer to
# relocate when a program starts (the table has some 29,000 entries).
awk -v header="$(basename "$headers")" 'FILENAME == ARGV[1] { e[$1] = 1; next }
     FILENAME == ARGV[2] { a[$1] = 1; next }
     FNR == 1 { printf "/* Generated by gen-constants.sh from %s; do not edit. */\n", header
                printf "#include \"constants_table.h\"\n\nconst char policy_constant_names[] =\n" }
     { name[FNR] = $1; value[FNR] = $2; flags[FNR] = sprintf("%d, %d, %d", ($1 in e) ? 1 : 0, $3 == "extra" ? 1 : 0, ($1 in a) ? 1 : 0)
       printf "        \"%s\\0\"\n", $1 }
     END { printf "        ;\n\nconst struct policy_named_constant policy_constant_table[] = {\n"
           offset = 0
           for (i = 1; i <= FNR; i++) {
                   printf "        { UINT64_C(%s), %d, %s },\n", value[i], offset, flags[i]
                   offset += length(name[i]) + 1
           }
           printf "};\n\nconst size_t policy_constant_table_size = sizeof(policy_constant_table) / sizeof(policy_constant_table[0]);\n" }' \
        "$work/errno-names.txt" "$work/alias-names.txt" "$work/values.txt" >"$out.tmp"
mv "$out.tmp" "$out"
