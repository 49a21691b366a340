#!/usr/bin/env bash
# Build the Node.js addon against the liblineage build in $LINEAGE_BUILD_DIR (default build/)
# and run its tests: node --test (with --expose-gc for the finalizer tests), tsc --noEmit on
# the typed example, `npm install` of the package into another project, and the README's
# JavaScript example as written. Needs the npm registry (typescript) and nothing else online.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export LINEAGE_BUILD_DIR=${LINEAGE_BUILD_DIR:-$root/build}
if [ ! -e "$LINEAGE_BUILD_DIR/lib/liblineage.so" ]; then
  echo "test-node: no liblineage in $LINEAGE_BUILD_DIR: run scripts/build.sh first" >&2
  exit 1
fi

# Node.js 18+ with its headers, npm and a compiler: Debian's packages when missing.
if ! command -v node >/dev/null || ! command -v npm >/dev/null ||
   { [ ! -e /usr/include/node/node_api.h ] && [ ! -e "$(dirname "$(dirname "$(command -v node)")")/include/node/node_api.h" ]; }; then
  echo "test-node: installing nodejs, npm and the Node.js headers"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    nodejs npm libnode-dev python3 make g++ >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "test-node: Node.js $(node --version) is too old: the addon needs Node.js 18 or newer" >&2
  exit 1
fi

cd "$root/bindings/node"
echo "-- npm install (builds the addon offline, installs typescript)"
log=$(mktemp)
if ! npm install --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"

echo "-- node --test"
node --test --expose-gc --test-reporter=spec test/
if [ -n "${LINEAGE_TEST_PG:-}" ]; then
  # The store-facing tests again, each private store a fresh one in PostgreSQL (helpers.js).
  echo "-- node --test on PostgreSQL (LINEAGE_TEST_BACKEND=postgres)"
  LINEAGE_TEST_BACKEND=postgres node --test --expose-gc test/core.test.js test/queries.test.js \
    test/io.test.js test/async.test.js
fi

# The package installs into another project with `npm install <dir>`, and the README's
# JavaScript example runs there as written.
proj=$(mktemp -d)
trap 'rm -rf "$proj"' EXIT
echo "-- npm install $root/bindings/node into a new project"
(cd "$proj" && npm init -y >/dev/null &&
  npm install --no-audit --no-fund --loglevel=error "$root/bindings/node" >install.log 2>&1) ||
  { cat "$proj/install.log" >&2; exit 1; }
awk '/^## JavaScript/{js=1} js && /^```js/{on=1; next} on && /^```/{exit} on{print}' "$root/README.md" > "$proj/readme-example.js"
if [ -s "$proj/readme-example.js" ]; then
  echo "-- README JavaScript example"
  (cd "$proj" && node readme-example.js)
fi
echo "test-node: ok"
