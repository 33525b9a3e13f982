#!/usr/bin/env bash
# apt-ensure.sh WHO COMMAND=PACKAGE...: installs from Debian each package whose command is not on
# PATH (apt-get update only when a first try fails). The ensure-* scripts share it.
set -euo pipefail
who="$1"
shift
missing=()
for pair in "$@"; do
  command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "$who: ${missing[*]} missing and not root: install them (apt-get install ${missing[*]})" >&2
  exit 0
fi
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "$who: installing ${missing[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
