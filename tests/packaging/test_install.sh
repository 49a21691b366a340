#!/usr/bin/env bash
# Install liblineage into a temporary prefix and build examples/c/top_impact.c against it
# four ways: with pkg-config (shared, then static), and with a CMake project using
# find_package(lineage) (lineage::lineage, then lineage::lineage_static). Each binary must run and print the expected lineage.
# Env from ctest: LINEAGE_BUILD_DIR, LINEAGE_SOURCE_DIR, CC.
set -euo pipefail
: "${LINEAGE_BUILD_DIR:?set LINEAGE_BUILD_DIR to a configured and built build directory}"
: "${LINEAGE_SOURCE_DIR:?set LINEAGE_SOURCE_DIR to the source checkout}"
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lineage-install-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
example=$LINEAGE_SOURCE_DIR/examples/c/top_impact.c

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# A sanitizer build's library needs its runtime in the programs that load it.
san_flags=()
if grep -q '^LINEAGE_SANITIZE:BOOL=ON' "$LINEAGE_BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
  san_flags=(-fsanitize=address,undefined)
fi

cmake --install "$LINEAGE_BUILD_DIR" --prefix "$prefix" >"$tmp/install.log" ||
  fail "cmake --install failed: $(cat "$tmp/install.log")"

# ---- What is installed
pc=$(find "$prefix" -name lineage.pc -path '*/pkgconfig/*' | head -n1)
[ -n "$pc" ] || fail "no lineage.pc installed"
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
for f in include/lineage/lineage.h include/lineage/common.h include/lineage/query.h; do
  [ -f "$prefix/$f" ] || fail "$f not installed"
done
[ -L "$libdir/liblineage.so" ] && [ -L "$libdir/liblineage.so.0" ] ||
  fail "liblineage.so and its soname link are not installed in $libdir"
[ -f "$libdir/liblineage.a" ] || fail "liblineage.a not installed"
[ -f "$libdir/cmake/lineage/lineageConfig.cmake" ] || fail "no CMake package installed"
if [ -x "$LINEAGE_BUILD_DIR/bin/lineage" ]; then
  [ -x "$prefix/bin/lineage" ] || fail "the lineage tool is not installed"
  # It runs from the prefix without LD_LIBRARY_PATH, and uses the installed library.
  out=$(env -u LD_LIBRARY_PATH "$prefix/bin/lineage" --db "$tmp/cli.db" init) ||
    fail "the installed lineage tool does not run: $out"
  [[ $out == *"schema version"* ]] || fail "installed lineage init: $out"
  # grep -q reads the whole output from a variable: in a pipe under pipefail, a writer still
  # writing when grep exits dies of SIGPIPE and fails the check at random.
  grep -qF "liblineage.so.0 => $prefix/" <<<"$(ldd "$prefix/bin/lineage")" ||
    fail "the installed tool does not load the installed library: $(ldd "$prefix/bin/lineage")"
fi

# ---- The pkg-config file
export PKG_CONFIG_PATH=$pcdir
version=$(sed -n 's/^#define LINEAGE_VERSION "\(.*\)"/\1/p' "$LINEAGE_SOURCE_DIR/include/lineage/version.h")
[ "$(pkg-config --modversion lineage)" = "$version" ] ||
  fail "lineage.pc version $(pkg-config --modversion lineage), headers say $version"
cflags=$(pkg-config --cflags lineage)
libs=$(pkg-config --libs lineage)
inc=$(pkg-config --variable=includedir lineage)
[ "$(cd "$inc" && pwd -P)" = "$(cd "$prefix/include" && pwd -P)" ] ||
  fail "includedir $inc is not the install prefix's (the pc file ignores --prefix?)"
[ "$(cd "$(pkg-config --variable=libdir lineage)" && pwd -P)" = "$(cd "$libdir" && pwd -P)" ] ||
  fail "libdir is not where the library was installed"
[[ " $libs " == *" -llineage "* ]] || fail "pkg-config --libs lacks -llineage: $libs"
for dep in sqlite3 igraph jansson libxml-2.0; do
  grep -qx "$dep" <<<"$(pkg-config --print-requires-private lineage)" ||
    fail "Requires.private lacks $dep"
  # Private: a shared link needs none of them.
  grep -qx "$dep" <<<"$(pkg-config --print-requires lineage)" && fail "$dep in Requires, not .private"
done
static_libs=$(pkg-config --static --libs lineage)
for l in -lsqlite3 -ligraph -ljansson -lxml2 -lm; do
  [[ " $static_libs " == *" $l "* ]] || fail "pkg-config --static --libs lacks $l: $static_libs"
done

check_output() {
  local bin=$1 out
  out=$("$bin" "$tmp/$(basename "$bin").db") || fail "$bin failed: $out"
  grep -qx "liblineage $version" <<<"$out" || fail "$bin: no version line: $out"
  grep -q "downstream of app.orders:" <<<"$out" || fail "$bin: no downstream: $out"
  grep -qE "^  1 hop\(s\)  wh.fct_orders \(table\)$" <<<"$out" || fail "$bin: $out"
  grep -qE "^  2 hop\(s\)  bi.revenue \(dashboard\)$" <<<"$out" || fail "$bin: $out"
  grep -q "dropping app.orders.amount affects:" <<<"$out" || fail "$bin: no impact: $out"
  grep -qE "^  wh.fct_orders.revenue \(column, owner analytics, confidence 0.90\)$" <<<"$out" ||
    fail "$bin: impact lacks the column: $out"
  grep -qE "^  bi.revenue \(dashboard, owner finance" <<<"$out" || fail "$bin: $out"
  grep -q "app.orders.amount (" <<<"$out" && fail "$bin: the root is among the affected: $out"
  return 0
}

# ---- pkg-config, shared library (found at run time through an rpath)
# shellcheck disable=SC2086 # pkg-config output is a list of words
"$CC" "${san_flags[@]}" -std=c11 -Wall -Wextra -Wpedantic -Werror "$example" $cflags $libs \
  -Wl,-rpath,"$libdir" -o "$tmp/top_impact_pc" || fail "pkg-config build failed"
check_output "$tmp/top_impact_pc"
grep -q 'NEEDED.*liblineage.so.0' <<<"$(readelf -d "$tmp/top_impact_pc")" ||
  fail "top_impact_pc does not load liblineage.so.0"

# ---- The static library with the dependencies the pc file declares private. (A fully
# `pkg-config --static` link also needs the dependencies' own private libraries as
# archives: Debian's igraph.pc lists -lplfit, which no package installs, so link the
# dependencies shared.)
requires=$(pkg-config --print-requires-private lineage | awk '{print $1}' | tr '\n' ' ')
# shellcheck disable=SC2086
static_link="-L$libdir -Wl,-Bstatic -llineage -Wl,-Bdynamic $(pkg-config --libs $requires) -lpthread -lm"
# shellcheck disable=SC2086
"$CC" "${san_flags[@]}" -std=c11 "$example" $cflags $static_link -o "$tmp/top_impact_static" ||
  fail "static build with the pc file's private requirements failed"
grep -q 'liblineage' <<<"$(readelf -d "$tmp/top_impact_static")" &&
  fail "top_impact_static still loads liblineage dynamically"
check_output "$tmp/top_impact_static"

# ---- CMake: find_package(lineage) and the lineage::lineage target
mkdir -p "$tmp/consumer"
cat >"$tmp/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.20)
project(lineage_consumer C)
find_package(lineage ${version} REQUIRED)
add_executable(top_impact_cmake "$example")
target_link_libraries(top_impact_cmake lineage::lineage)
add_executable(top_impact_cmake_static "$example")
target_link_libraries(top_impact_cmake_static lineage::lineage_static)
CMAKE
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S "$tmp/consumer" -B "$tmp/consumer/build" "${gen[@]}" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${san_flags[*]}" >"$tmp/cmake.log" 2>&1 ||
  fail "find_package(lineage) failed: $(cat "$tmp/cmake.log")"
cmake --build "$tmp/consumer/build" >"$tmp/build.log" 2>&1 ||
  fail "building against lineage::lineage failed: $(cat "$tmp/build.log")"
check_output "$tmp/consumer/build/top_impact_cmake"
check_output "$tmp/consumer/build/top_impact_cmake_static"

echo "test_install: installed to a prefix; pkg-config (shared, static) and CMake builds run"
