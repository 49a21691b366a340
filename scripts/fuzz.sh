#!/usr/bin/env bash
# One fuzzing campaign:  scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]
#
# Builds the libFuzzer targets (clang, ASan + UBSan) in ${FUZZ_BUILD_DIR:-build-fuzz}, runs
# fuzz/fuzz_TARGET.c for SECONDS with the dictionaries and seeds that fuzz/targets.txt gives
# it, then minimizes what it found (-merge=1) back into fuzz/corpus/TARGET. Inputs named
# regress-* there are regression inputs of fixed bugs: kept as they are, never minimized away.
#   FUZZ_FORK=N   run N jobs in -fork mode (default 1; 0 runs one plain process)
# The working corpus stays in <build>/campaign/TARGET, so a later campaign goes on from it.
# A crash, leak, timeout or out-of-memory stops the campaign: its input is kept in
# <build>/campaign/TARGET/ (crash-*, leak-*, timeout-*, oom-*) and the exit status is 1.
# On a shared machine run it as `nice -n 19 scripts/fuzz.sh ...`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]" >&2; exit 2; }
target=$1 seconds=$2
shift 2
build=${FUZZ_BUILD_DIR:-build-fuzz}
fork=${FUZZ_FORK:-1}
command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (scripts/setup.sh installs it)" >&2; exit 2; }
[ -f "fuzz/fuzz_$target.c" ] || { echo "fuzz.sh: no fuzz/fuzz_$target.c; targets: $(ls fuzz/fuzz_*.c | sed 's|fuzz/fuzz_||; s|\.c$||' | tr '\n' ' ')" >&2; exit 2; }
line=$(awk -v t="$target" '$1 == t' fuzz/targets.txt)
[ -n "$line" ] || { echo "fuzz.sh: add a line for $target to fuzz/targets.txt" >&2; exit 2; }
read -r _ max_len dicts seeds <<<"$line"

cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLINEAGE_BUILD_FUZZ=ON -DLINEAGE_BUILD_TESTS=OFF -DLINEAGE_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target "fuzz_$target" >/dev/null
bin=$build/fuzz/fuzz_$target

camp=$build/campaign/$target
corpus=fuzz/corpus/$target
mkdir -p "$camp/corpus" "$corpus"
rm -f "$camp"/crash-* "$camp"/leak-* "$camp"/timeout-* "$camp"/oom-*
# one dictionary of all the target's dictionaries
for d in ${dicts//,/ }; do cat "fuzz/dict/$d.dict"; done >"$camp/dict"
# seeds: the committed corpus, the tests' inputs, structure-aware variants of fuzz/seeds/TARGET
inputs=("$corpus")
for s in $seeds; do if [ "$s" != - ]; then inputs+=("tests/data/$s"); fi; done
if [ -d "fuzz/seeds/$target" ]; then
  rm -rf "$camp/variants"
  python3 fuzz/json_variants.py "$camp/variants" "fuzz/seeds/$target"/* >/dev/null
  inputs+=("fuzz/seeds/$target" "$camp/variants")
fi

flags=(-dict="$camp/dict" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048
  -max_total_time="$seconds" -artifact_prefix="$camp/" -print_final_stats=1)
[ "$fork" -gt 0 ] && flags+=(-fork="$fork" -ignore_crashes=0 -ignore_timeouts=0 -ignore_ooms=0)
start=$(date +%s)
status=0
# CPU time too: on a shared machine it says what the fuzzer got of the wall-clock time
timer=(); [ -x /usr/bin/time ] && timer=(/usr/bin/time -f '%U %S' -o "$camp/cpu")
rm -f "$camp/cpu"
"${timer[@]}" "$bin" "${flags[@]}" "$@" "$camp/corpus" "${inputs[@]}" \
  >"$camp/log" 2>&1 || status=$?
elapsed=$(($(date +%s) - start))
cpu=$(tail -1 "$camp/cpu" 2>/dev/null | awk '{ printf "%d", $1 + $2 }' || true)
# executions: the fork mode's last "#N:" status line, or the plain mode's "Done N runs"
execs=$(grep -Eo '^#[0-9]+:' "$camp/log" | tail -1 | tr -d '#:')
[ -n "$execs" ] || execs=$(grep -Eo 'Done [0-9]+ runs' "$camp/log" | grep -Eo '[0-9]+' || echo 0)

artifacts=$(ls "$camp"/crash-* "$camp"/leak-* "$camp"/timeout-* "$camp"/oom-* 2>/dev/null || true)
if [ "$status" -ne 0 ] || [ -n "$artifacts" ]; then
  grep -E 'ERROR|SUMMARY|==[0-9]+==' "$camp/log" | head -20 || true
  echo "fuzz $target: FAILED after $execs executions in ${elapsed}s (status $status); log: $camp/log"
  for a in $artifacts; do echo "reproducer: $a"; done
  exit 1
fi

# minimize the corpus back into fuzz/corpus/TARGET, keeping the regression inputs: every
# code edge reached stays covered (hit counts do not count, which keeps the corpus small)
merged=$(mktemp -d "$camp/merged.XXXXXX")
"$bin" -merge=1 -use_counters=0 -timeout=10 -rss_limit_mb=2048 "$merged" "$corpus" "$camp/corpus" >"$camp/merge.log" 2>&1 ||
  { tail -20 "$camp/merge.log"; echo "fuzz $target: the corpus merge failed" >&2; exit 1; }
find "$corpus" -maxdepth 1 -type f ! -name 'regress-*' -delete
cp "$merged"/* "$corpus"/ 2>/dev/null || true
for r in "$corpus"/regress-*; do # libFuzzer names inputs by their SHA-1: no second copy
  [ -e "$r" ] && rm -f "$corpus/$(sha1sum "$r" | cut -c1-40)"
done
rm -rf "$merged"
files=$(find "$corpus" -type f | wc -l)
size=$(($(cat "$corpus"/* | wc -c) / 1024))
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$execs" "$elapsed" "$cpu" "$(date -u +%F)" "$files files, ${size} KB" "clean" \
  >>"$build/campaign/results.tsv"
echo "fuzz $target: clean, $execs executions in ${elapsed}s (${cpu}s of CPU); corpus $corpus: $files files, ${size} KB"
