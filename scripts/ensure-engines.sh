#!/usr/bin/env bash
# Installs the engines the local executor runs (LAMMPS and xtb, from Debian) when missing.
# Gaussian is licensed software and is never installed: point G16_BIN at your g16.
set -euo pipefail
missing=()
command -v "${LMP_BIN:-lmp}" >/dev/null || missing+=(lammps)
command -v "${XTB_BIN:-xtb}" >/dev/null || missing+=(xtb)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "ensure-engines: ${missing[*]} missing and not root: install them (apt-get install ${missing[*]})" >&2
  exit 0
fi
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "ensure-engines: installing ${missing[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
