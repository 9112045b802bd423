#!/bin/sh
# install_test.sh BUILD_DIR TEST_SRC_DIR [CFLAGS]: install libsealfd into a temp
# prefix, build tests/core/outside.c against it through pkg-config and
# through find_package(sealfd), and run both.
set -eu
build=$1
src=$2
# A sanitized build installs a sanitized library: its users need the runtime.
extra=${3:-}
tmp=$(mktemp -d /tmp/sealfd-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

for tool in cc pkg-config cmake; do
  command -v $tool >/dev/null || { echo "SKIP: $tool not found"; exit 77; }
done

# Only libsealfd's component: the rest of the tree may not be built.
if [ -w "$build" ]; then
  cmake --install "$build" --prefix "$tmp/prefix" --component sealfd >/dev/null
else
  # Unprivileged run over a build dir it cannot write: cmake --install
  # would fail writing its manifest there, so run the same install script
  # with the manifest redirected into the temp dir.
  sed "s|file(WRITE \"$build/|file(WRITE \"$tmp/|" "$build/cmake_install.cmake" > "$tmp/cmake_install.cmake"
  cmake -DCMAKE_INSTALL_PREFIX="$tmp/prefix" -DCMAKE_INSTALL_COMPONENT=sealfd -P "$tmp/cmake_install.cmake" >/dev/null
fi
pc=$(find "$tmp/prefix" -name sealfd.pc)
[ -n "$pc" ] || { echo "FAIL: no sealfd.pc installed"; exit 1; }
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
for f in include/sealfd.h; do
  [ -f "$tmp/prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
ls "$libdir"/libsealfd.so.0 "$libdir"/libsealfd.a >/dev/null

# 1. pkg-config
flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags --libs sealfd)
version=$(PKG_CONFIG_PATH=$pcdir pkg-config --modversion sealfd)
cc $extra -o "$tmp/outside" "$src/outside.c" $flags
out=$(LD_LIBRARY_PATH=$libdir "$tmp/outside")
echo "pkg-config ($flags): $out"
[ "$out" = "ok version=$version sealed=1" ] || { echo "FAIL: unexpected output"; exit 1; }
# the program really uses the installed library, not one from the build tree
LD_LIBRARY_PATH=$libdir ldd "$tmp/outside" | grep -q "$libdir/libsealfd.so.0" ||
  { echo "FAIL: not linked against the installed library"; exit 1; }

# 2. find_package(sealfd)
mkdir "$tmp/proj"
cp "$src/outside.c" "$tmp/proj/"
cat > "$tmp/proj/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(outside LANGUAGES C)
find_package(sealfd 0.1 REQUIRED)
add_executable(outside outside.c)
target_link_libraries(outside PRIVATE sealfd::sealfd)
add_executable(outside_static outside.c)
target_link_libraries(outside_static PRIVATE sealfd::sealfd_static)
CM
cmake -S "$tmp/proj" -B "$tmp/proj/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_FLAGS="$extra" >/dev/null
cmake --build "$tmp/proj/build" >/dev/null
for exe in outside outside_static; do
  out=$(LD_LIBRARY_PATH=$libdir "$tmp/proj/build/$exe")
  echo "find_package ($exe): $out"
  [ "$out" = "ok version=$version sealed=1" ] || { echo "FAIL: unexpected output"; exit 1; }
done
