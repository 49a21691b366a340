#!/usr/bin/env bash
# Build what is missing (liblineage, the Node.js addon), load the example warehouse into
# ${LINEAGE_DB:-/tmp/lineage-demo.db} and serve it: GET /lineage/:key/downstream?depth=N
# on http://${HOST:-127.0.0.1}:${PORT:-8080}.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export LINEAGE_BUILD_DIR=${LINEAGE_BUILD_DIR:-$root/build}
db=${LINEAGE_DB:-/tmp/lineage-demo.db}

if [ ! -x "$LINEAGE_BUILD_DIR/bin/lineage" ]; then
  bash "$root/scripts/setup.sh"
  BUILD_DIR=$LINEAGE_BUILD_DIR bash "$root/scripts/build.sh"
fi
if [ ! -e "$root/bindings/node/build/Release/lineage.node" ]; then
  (cd "$root/bindings/node" && npm install --omit=dev --no-audit --no-fund --loglevel=error)
fi
if [ ! -e "$db" ]; then
  LINEAGE_CLI=$LINEAGE_BUILD_DIR/bin/lineage bash "$root/examples/warehouse/load.sh" "$db"
fi
exec node "$here/server.js" "$db"
