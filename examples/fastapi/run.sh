#!/usr/bin/env bash
# Start the lineage service on the demo warehouse: builds liblineage when needed, installs
# the binding and the service into a virtual environment, builds the web assets from npm,
# loads the example warehouse once, then serves http://127.0.0.1:${PORT:-8000}/ with uvicorn.
# LINEAGE_DB picks another database (it is then served as it is, without demo data).
# With the demo database, each start prints a new admin token for the demo.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${LINEAGE_BUILD_DIR:-$root/build}
if [ ! -f "$build/lib/liblineage.so" ]; then
  (cd "$root" && bash scripts/setup.sh && BUILD_DIR="$build" bash scripts/build.sh)
fi
export LINEAGE_BUILD_DIR=$(cd "$build" && pwd)
venv=$LINEAGE_BUILD_DIR/python-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
"$venv/bin/python" -c "import lineage" 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check "$root/bindings/python"
if [ ! -f "$here/web/static/vendor/cytoscape.min.js" ]; then
  (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error && node build.mjs)
fi
if [ -z "${LINEAGE_DB:-}" ]; then
  export LINEAGE_DB=$LINEAGE_BUILD_DIR/demo-lineage.db
  if [ ! -f "$LINEAGE_DB" ]; then
    # The project's example warehouse (loaded with the CLI), else this folder's small demo.
    if [ -x "$root/examples/warehouse/load.sh" ] && [ -x "$LINEAGE_BUILD_DIR/bin/lineage" ]; then
      LINEAGE_CLI=$LINEAGE_BUILD_DIR/bin/lineage bash "$root/examples/warehouse/load.sh" "$LINEAGE_DB"
    else
      "$venv/bin/python" "$here/demo.py" "$LINEAGE_DB"
    fi
  fi
  # A token for the demo (issue 15): an admin's, valid for a day, printed once. Writes need
  # a token from now on; paste it into the page's token field. Only its hash is stored.
  demo_token=$("$venv/bin/python" -c 'import sys, lineage
with lineage.open(sys.argv[1], actor="run.sh") as g:
    print(g.create_token("demo", "admin", expires_in_days=1)[1])' "$LINEAGE_DB")
  echo "demo token (admin, valid for a day; shown once): $demo_token"
fi
cd "$here"
echo "lineage service: http://${HOST:-127.0.0.1}:${PORT:-8000}/  (API docs at /docs; database $LINEAGE_DB)"
exec "$venv/bin/uvicorn" app:app --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
