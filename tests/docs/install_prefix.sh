#!/usr/bin/env bash
# install_prefix.sh SOURCE_DIR BUILD_DIR: `cmake --install BUILD --prefix TMP`
# puts every promised piece under TMP and nothing outside it, and the
# installed sealrun runs an installed workload from there.
#   - bin/sealrun; libsealfd (.so, .so.0, .a), include/sealfd.h, sealfd.pc,
#     the CMake package (sealfdConfig.cmake, -ConfigVersion, -Targets);
#   - man pages: man1/sealrun.1, man3/libsealfd.3 (and every page in man/);
#   - bash completion: share/bash-completion/completions/sealrun;
#   - share/sealrun/policies/: every *.workload and *.policy of policies/;
#   - share/doc/sealrun/examples/: every file of examples/ but CMakeLists.txt
#     and README.md, the unit's ExecStart naming sealrun and jq.workload
#     where the configured prefix puts them (a package installs it as is);
#   - every file the install manifest lists is under TMP;
#   - the installed sealrun does not point into the build tree (RUNPATH);
#   - `sealrun --version` and sealfd.pc's Version (read by pkg-config) both
#     equal CMake's project(VERSION), read from SOURCE_DIR/CMakeLists.txt;
#   - the installed sealrun checks the installed workloads, and runs
#     TMP/share/sealrun/policies/jq.workload on sealed inputs with the
#     expected output.
# Fails (exit 1) with "FAIL: what"; "SKIP: ..." and exit 77 only when a tool
# is missing.
set -euo pipefail
src=$1
build=$2

fail() { echo "FAIL: $*"; exit 1; }
for tool in cmake pkg-config readelf; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not found"; exit 77; }
done

tmp=$(mktemp -d /tmp/sealrun-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

version=$(sed -n 's/^project([[:alnum:]_]*[[:space:]]\{1,\}VERSION[[:space:]]\{1,\}\([0-9][0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || fail "no project(... VERSION x.y.z) in $src/CMakeLists.txt"

cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
bindir=$(cache CMAKE_INSTALL_BINDIR)
libdir=$(cache CMAKE_INSTALL_LIBDIR)
includedir=$(cache CMAKE_INSTALL_INCLUDEDIR)
datadir=$(cache CMAKE_INSTALL_DATAROOTDIR)
mandir=$(cache CMAKE_INSTALL_MANDIR)
docdir=$(cache CMAKE_INSTALL_DOCDIR)
configured_prefix=$(cache CMAKE_INSTALL_PREFIX)
: "${bindir:=bin}" "${libdir:=lib}" "${includedir:=include}" "${datadir:=share}" "${mandir:=$datadir/man}"
: "${docdir:=$datadir/doc/sealrun}" "${configured_prefix:=/usr/local}"

# The whole tree, every component.
if [ -w "$build" ]; then
  cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; fail "cmake --install $build --prefix $prefix failed"; }
  manifest=$build/install_manifest.txt
else
  # Unprivileged over a build dir it cannot write: cmake --install would fail
  # writing its manifest there, so run the same install script with the
  # manifest written into the temp dir instead (as tests/core/install_test.sh).
  sed "s|file(WRITE \"$build/|file(WRITE \"$tmp/|" "$build/cmake_install.cmake" >"$tmp/cmake_install.cmake"
  cmake -DCMAKE_INSTALL_PREFIX="$prefix" -P "$tmp/cmake_install.cmake" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; fail "the install script of $build failed"; }
  manifest=$tmp/install_manifest.txt
fi

need() { [ -e "$prefix/$1" ] || fail "cmake --install did not install $1"; }
need "$bindir/sealrun"
[ -x "$prefix/$bindir/sealrun" ] || fail "$bindir/sealrun is not executable"
need "$libdir/libsealfd.so"
need "$libdir/libsealfd.so.0"
need "$libdir/libsealfd.so.$version"
need "$libdir/libsealfd.a"
need "$includedir/sealfd.h"
need "$libdir/pkgconfig/sealfd.pc"
need "$libdir/cmake/sealfd/sealfdConfig.cmake"
need "$libdir/cmake/sealfd/sealfdConfigVersion.cmake"
need "$libdir/cmake/sealfd/sealfdTargets.cmake"
need "$mandir/man1/sealrun.1"
need "$mandir/man3/libsealfd.3"
need "$mandir/man5/sealrun.policy.5"
# Every page that is in man/ must be installed in its section:
for page in "$src"/man/*.[1-8]; do
  [ -e "$page" ] || continue
  name=${page##*/}
  need "$mandir/man${name##*.}/$name"
done
need "$datadir/bash-completion/completions/sealrun"
n=0
for f in "$src"/policies/*.workload "$src"/policies/*.policy; do
  need "$datadir/sealrun/policies/${f##*/}"
  cmp -s "$f" "$prefix/$datadir/sealrun/policies/${f##*/}" || fail "installed ${f##*/} differs from policies/${f##*/}"
  n=$((n + 1))
done
[ "$n" -ge 2 ] || fail "policies/ has no workload to install"
need "$datadir/sealrun/policies/jq.workload"
for f in "$src"/examples/*; do
  case ${f##*/} in CMakeLists.txt | README.md) continue ;; esac
  need "$docdir/examples/${f##*/}"
done
unit=$prefix/$docdir/examples/sealrun-jq.service
grep -q "^ExecStart=$configured_prefix/$bindir/sealrun run $configured_prefix/$datadir/sealrun/policies/jq.workload " "$unit" ||
  fail "the installed sealrun-jq.service does not run $configured_prefix/$bindir/sealrun on $configured_prefix/$datadir/sealrun/policies/jq.workload: $(grep '^ExecStart=' "$unit")"

[ -s "$manifest" ] || fail "no install manifest at $manifest"
outside=$(grep -v "^$prefix/" "$manifest" || true)
[ -z "$outside" ] || fail "cmake --install wrote outside the prefix: $outside"

if readelf -d "$prefix/$bindir/sealrun" | grep -E 'R(UN)?PATH' | grep -qF "$build"; then
  fail "the installed sealrun's RUNPATH points into the build tree: $(readelf -d "$prefix/$bindir/sealrun" | grep -E 'R(UN)?PATH')"
fi

got=$("$prefix/$bindir/sealrun" --version) || fail "installed sealrun --version failed"
[ "$got" = "sealrun $version" ] || fail "sealrun --version printed '$got', CMakeLists.txt says project VERSION $version"
pc_version=$(PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig pkg-config --modversion sealfd) ||
  fail "pkg-config cannot read the installed sealfd.pc"
[ "$pc_version" = "$version" ] || fail "sealfd.pc says Version $pc_version, CMakeLists.txt says $version"

# The installed workloads, from where they were installed, by the installed sealrun.
policies=$prefix/$datadir/sealrun/policies
"$prefix/$bindir/sealrun" check "$policies"/*.workload >"$tmp/check.log" 2>&1 ||
  { cat "$tmp/check.log"; fail "the installed sealrun check rejects the installed workloads"; }
[ ! -s "$tmp/check.log" ] || { cat "$tmp/check.log"; fail "sealrun check printed warnings for the installed workloads"; }

if ! command -v /usr/bin/jq >/dev/null; then
  echo "SKIP: /usr/bin/jq not found (the installed jq.workload runs it)"
  exit 77
fi
printf '{"orders": [{"qty": 2, "price": 3.5}, {"qty": 1, "price": 4}]}\n' >"$tmp/orders.json"
printf '.orders | map(.qty * .price) | add | "total \\(.)"\n' >"$tmp/total.jq"
status=0
out=$(cd "$tmp" && "$prefix/$bindir/sealrun" run "$policies/jq.workload" \
        --input filter=total.jq --input data=orders.json 2>"$tmp/run.err") || status=$?
[ "$status" -eq 0 ] || { cat "$tmp/run.err"; fail "installed jq.workload exited with status $status"; }
[ "$out" = '"total 11"' ] || fail "installed jq.workload printed '$out', expected '\"total 11\"'"
[ ! -s "$tmp/run.err" ] || { cat "$tmp/run.err"; fail "installed jq.workload printed on stderr"; }

echo "ok: installed into $prefix (version $version, $n policy files); the installed jq.workload printed $out"
