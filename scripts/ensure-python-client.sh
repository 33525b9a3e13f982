#!/usr/bin/env bash
# The Python client's test set-up, offline: Debian's python3-httpx/tqdm/pandas/pytest (no Python
# package index here), a virtualenv that sees them (--system-site-packages) in clients/python/.venv,
# and the client installed into it from the working tree (again each run, so it is never stale).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3 # Debian's, whose dist-packages hold the python3-* packages (not a pyenv's)
if ! "$PY" -c 'import httpx, tqdm, pandas, pytest, setuptools, wheel, venv, ensurepip' 2>/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-python-client: install python3-httpx python3-tqdm python3-pandas python3-pytest python3-venv python3-setuptools python3-wheel (as root)" >&2
    exit 1
  fi
  echo "ensure-python-client: installing the client's dependencies from Debian" >&2
  pkgs=(python3-httpx python3-tqdm python3-pandas python3-pytest python3-venv python3-setuptools python3-wheel)
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null; }
fi
venv=clients/python/.venv
[ -x "$venv/bin/python" ] || "$PY" -m venv --system-site-packages "$venv"
"$venv/bin/python" -m pip install -q --no-index --no-build-isolation --disable-pip-version-check ./clients/python
