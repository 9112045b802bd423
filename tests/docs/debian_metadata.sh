#!/usr/bin/env bash
# debian_metadata.sh SOURCE_DIR BUILD_DIR: debian/ says what the build is,
# so a change to the library or the version cannot leave the package behind
# (scripts/test-debian-package builds it only in CI):
#   - debian/changelog's version is CMake's project(VERSION) (3.0 native:
#     no Debian revision);
#   - the built libsealfd's SONAME is libsealfd.so.N for the package
#     libsealfdN that debian/control declares and the symbols file names;
#   - debian/libsealfd0.symbols lists exactly the symbols it exports (a new
#     function needs its line there, with the version that first has it);
#   - debian/control's Build-Depends has every package that
#     scripts/debian-packages lists under "# build" (build-essential is
#     implied, pkg-config is pkgconf), and with <!nocheck> every one under
#     "# tests" and "# workloads" but Essential ones (dpkg-buildpackage runs
#     the suite).
# Fails (exit 1) with "FAIL: what"; "SKIP: ..." and exit 77 when a tool is missing.
set -euo pipefail
src=$1
build=$2
fail() { echo "FAIL: $*"; exit 1; }
for tool in dpkg-parsechangelog dpkg-query nm readelf; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not found"; exit 77; }
done

version=$(sed -n 's/^project([[:alnum:]_]*[[:space:]]\{1,\}VERSION[[:space:]]\{1,\}\([0-9][0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
changelog=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
[ "$changelog" = "$version" ] || fail "debian/changelog is at $changelog, CMakeLists.txt's project VERSION is $version"

lib=$build/core/libsealfd.so
[ -e "$lib" ] || fail "$lib is not built"
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
symbols=$src/debian/libsealfd0.symbols
[ "$soname" = libsealfd.so.0 ] || fail "libsealfd's SONAME is $soname; debian/ packages libsealfd.so.0 as libsealfd0"
head -1 "$symbols" | grep -qx "$soname libsealfd0 #MINVER#" || fail "$symbols does not start with '$soname libsealfd0 #MINVER#'"
grep -qx 'Package: libsealfd0' "$src/debian/control" || fail "debian/control has no package libsealfd0"

exported=$(nm -D --defined-only "$lib" | awk '{ sub(/@@/, "@", $3); if ($3 !~ /@/) $3 = $3 "@" $3; print $3 }' | sort)
listed=$(sed -n 's/^ \([^ ]*\) .*/\1/p' "$symbols" | sort)
[ "$exported" = "$listed" ] || fail "debian/libsealfd0.symbols and the built library differ (- only in the symbols file, + only exported):
$(diff <(echo "$listed") <(echo "$exported") | grep '^[<>]' | sed 's/^</-/; s/^>/+/')"
# Build-Depends as "NAME" or "NAME!nocheck", one a line.
build_depends=$(sed -n '/^Build-Depends:/,/^[A-Z]/{/^Build-Depends:/{s/^Build-Depends://;p;d};/^[A-Z]/d;p}' "$src/debian/control" |
  tr ',' '\n' | sed -n 's/^[[:space:]]*\([a-z0-9][a-z0-9.+-]*\).*\(<!nocheck>\)\{0,1\}.*$/\1/p')
nocheck_depends=$(grep -o '[a-z0-9][a-z0-9.+-]* <!nocheck>' "$src/debian/control" | cut -d' ' -f1)
missing=()
section=
while read -r line; do
  case $line in
    "# "*) section=${line#\# } && continue ;;
    "#"* | "") continue ;;
  esac
  pkg=${line%%[[:space:]#]*}
  case $section in
    build*)
      [ "$pkg" = pkg-config ] && pkg=pkgconf
      [ "$pkg" = build-essential ] && continue
      grep -qx "$pkg" <<<"$build_depends" && ! grep -qx "$pkg" <<<"$nocheck_depends" || missing+=("$pkg")
      ;;
    tests* | workloads*)
      [ "$(dpkg-query -W -f='${Essential}' "$pkg" 2>/dev/null)" = yes ] && continue
      grep -qx "$pkg" <<<"$nocheck_depends" || missing+=("$pkg <!nocheck>")
      ;;
  esac
done <"$src/scripts/debian-packages"
[ ${#missing[@]} -eq 0 ] || fail "debian/control's Build-Depends lacks what scripts/debian-packages needs: ${missing[*]}"

echo "ok: version $version; $soname exports the $(wc -l <<<"$exported") symbols debian/libsealfd0.symbols lists"
