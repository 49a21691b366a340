#!/usr/bin/env bash
# Python binding, FastAPI example service and its web page: install what they need, then
# run their tests. Called by scripts/test.sh with LINEAGE_BUILD_DIR set to a release build
# of liblineage; also runs alone (it then builds liblineage into build/).
#
# Needs: python3 with venv (python3-venv), Node.js with npm, Debian's chromium (installed
# here with apt-get when missing, as root or through sudo). PyPI and npm packages go into
# a virtual environment and node_modules under the build dir and web folder; they are
# reused by later runs, so only the first run downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ -z "${LINEAGE_BUILD_DIR:-}" ]; then
  bash scripts/setup.sh
  BUILD_DIR=build bash scripts/build.sh
  LINEAGE_BUILD_DIR=$root/build
fi
export LINEAGE_BUILD_DIR=$(cd "$LINEAGE_BUILD_DIR" && pwd)
export LINEAGE_SOURCE_DIR=$root

sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
apt_install() {
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The cffi extension is compiled at install time: it needs Python's headers.
if ! python3 -c 'import os, sysconfig, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
  echo "test-python: installing python3-dev (Python.h, to compile the cffi extension)"
  apt_install python3-dev
fi

# Python: a virtual environment kept in the build dir.
venv=$LINEAGE_BUILD_DIR/python-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$venv"; }
fi
"$venv/bin/pip" install -q --disable-pip-version-check --upgrade pip >/dev/null
"$venv/bin/pip" install -q --disable-pip-version-check -r examples/fastapi/requirements-test.txt
# The binding as a user installs it: a normal (isolated) build of ./bindings/python.
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps ./bindings/python
rm -rf bindings/python/build

# Run from outside the source tree so that `import lineage` is the installed package.
cd "$LINEAGE_BUILD_DIR"
echo "-- Python binding (pytest)"
"$venv/bin/pytest" -q -p no:cacheprovider "$root/bindings/python/tests"
if [ -n "${LINEAGE_TEST_PG:-}" ]; then
  # The store-facing tests (the `g` fixture) again, each on a fresh store in PostgreSQL.
  echo "-- Python binding on PostgreSQL (pytest, LINEAGE_TEST_BACKEND=postgres)"
  LINEAGE_TEST_BACKEND=postgres "$venv/bin/pytest" -q -p no:cacheprovider "$root/bindings/python/tests"
fi

echo "-- Python binding built against an installed liblineage (pkg-config)"
# The cffi declarations are generated from the headers the build finds: here the installed
# ones, in a prefix that only pkg-config knows.
installed=$(mktemp -d "${TMPDIR:-/tmp}/lineage-py-installed.XXXXXX")
trap 'rm -rf "$installed"' EXIT
cmake --install "$LINEAGE_BUILD_DIR" --prefix "$installed/prefix" >/dev/null
pcdir=$(dirname "$(find "$installed/prefix" -name lineage.pc -path '*/pkgconfig/*' | head -n1)")
(cd "$root" && env -u LINEAGE_BUILD_DIR -u LINEAGE_SOURCE_DIR PKG_CONFIG_PATH="$pcdir" \
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps --target "$installed/site" \
  ./bindings/python)
rm -rf "$root/bindings/python/build"
PYTHONPATH="$installed/site" "$venv/bin/python" -c 'import lineage._lineage_cffi
maps = open("/proc/self/maps").read()
assert "'"$installed"'/prefix/" in maps, "the binding does not load the installed liblineage"'
PYTHONPATH="$installed/site" "$venv/bin/pytest" -q -p no:cacheprovider \
  "$root/bindings/python/tests/test_cdef.py"

echo "-- FastAPI service (pytest; HTTP client and uvicorn on 127.0.0.1)"
# The web view's browser test needs its npm packages and Debian's Chromium.
if [ ! -x /usr/bin/chromium ]; then
  echo "test-python: installing Debian's chromium for the browser test"
  apt_install chromium
fi
command -v npm >/dev/null || { echo "test-python: npm (Node.js) is required" >&2; exit 1; }
(cd "$root/examples/fastapi/web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null \
  && node build.mjs >/dev/null)
artifacts=$LINEAGE_BUILD_DIR/artifacts
mkdir -p "$artifacts"
LINEAGE_E2E_REQUIRED=1 LINEAGE_ARTIFACTS=$artifacts \
  "$venv/bin/pytest" -q -p no:cacheprovider "$root/examples/fastapi/tests"
echo "test-python: screenshot of the web view in $artifacts/web.png"
