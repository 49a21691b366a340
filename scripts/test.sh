#!/usr/bin/env bash
# Set up, build and run every test: C (ctest, also under ASan+UBSan), Python and Node, with
# the PostgreSQL and MariaDB servers they use.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/setup.sh

# Private PostgreSQL and MariaDB servers for the tests that need them, stopped at the end.
source scripts/servers.sh
servers_start
export LINEAGE_TEST_REQUIRE_SERVERS=1

echo "== C tests (release build, warnings are errors)"
BUILD_DIR=build bash scripts/build.sh -DLINEAGE_WERROR=ON
(cd build && ctest --output-on-failure --parallel 2)

echo "== C tests again with every store in PostgreSQL (the store, engine, API, import/export, scanners)"
(cd build && LINEAGE_TEST_BACKEND=postgres ctest --output-on-failure --parallel 2 \
  -R '^(api|store|query|engine|io|scan|scan_sql|scan_airflow|pg|collect)/test_[a-z_]*$' -E '_cli$|crash')

echo "== C tests under AddressSanitizer and UndefinedBehaviorSanitizer"
BUILD_DIR=build-asan BUILD_TYPE=Debug bash scripts/build.sh -DLINEAGE_WERROR=ON \
  -DLINEAGE_SANITIZE=ON -DLINEAGE_BUILD_BENCH=OFF
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 CK_TIMEOUT_MULTIPLIER=4 \
  ctest --output-on-failure --parallel 2)

for suite in scripts/test-*.sh; do
  [ -e "$suite" ] || continue
  echo "== $(basename "$suite" .sh)"
  LINEAGE_BUILD_DIR="$root/build" bash "$suite"
done
echo "all tests passed"
