#!/usr/bin/env bash
# Install what liblineage needs to build and test, on Debian 12, when it is missing.
# Run as root or with sudo available. Safe to run again.
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config libsqlite3-dev libigraph-dev
          libjansson-dev libxml2-dev check clang libclang-rt-14-dev graphviz python3-venv
          libpq-dev libmariadb-dev libzip-dev libyaml-dev postgresql-15 mariadb-server)
missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
