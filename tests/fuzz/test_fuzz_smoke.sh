# Fuzz smoke test: builds the libFuzzer targets (fuzz/fuzz_*.c, with ASan and UBSan) with
# clang in <build>/fuzz-smoke — incrementally after the first run — and runs each for a few
# seconds from its seed corpus (fuzz/corpus/<name>, and the test inputs of tests/data/<name>
# when there are some; read only: new inputs go to a temporary folder). Skipped with a
# message when clang is missing. FUZZ_SECONDS overrides the time.
# Env from ctest: LINEAGE_BUILD_DIR, LINEAGE_SOURCE_DIR.
set -euo pipefail
SRC=${LINEAGE_SOURCE_DIR:?}
BUILD=${LINEAGE_BUILD_DIR:?}/fuzz-smoke
SECONDS_EACH=${FUZZ_SECONDS:-4}
if ! command -v clang >/dev/null; then
  echo "clang not found: fuzz smoke test skipped"
  exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lineage-fuzz.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DLINEAGE_BUILD_FUZZ=ON -DLINEAGE_BUILD_TESTS=OFF -DLINEAGE_BUILD_BENCH=OFF >"$TMP/cmake.log" 2>&1 ||
  { cat "$TMP/cmake.log"; exit 1; }
targets=()
for f in "$SRC"/fuzz/fuzz_*.c; do
  targets+=("$(basename "$f" .c)")
done
cmake --build "$BUILD" --target "${targets[@]}" >"$TMP/build.log" 2>&1 || { tail -50 "$TMP/build.log"; exit 1; }
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  corpus=$SRC/fuzz/corpus/$name
  mkdir -p "$TMP/$name"
  args=("$TMP/$name")
  [ -d "$corpus" ] && args+=("$corpus")
  [ -d "$SRC/tests/data/$name" ] && args+=("$SRC/tests/data/$name") # read recursively
  if ! "$BUILD/fuzz/$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=1024 -timeout=10 \
      -artifact_prefix="$TMP/" "${args[@]}" >"$TMP/$t.log" 2>&1; then
    tail -40 "$TMP/$t.log"
    for a in "$TMP"/crash-* "$TMP"/leak-* "$TMP"/timeout-* "$TMP"/oom-*; do
      [ -e "$a" ] && { echo "reproducer: $(basename "$a"):"; od -c "$a" | head -20; }
    done
    echo "FAIL: $t found a problem"
    exit 1
  fi
  echo "$t: $(grep -Eo 'Done [0-9]+ runs' "$TMP/$t.log" || echo ran) in ${SECONDS_EACH}s"
done
echo "fuzz smoke: all targets ran clean"
