#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (playwright-core drives it;
# no browser is ever downloaded from elsewhere).
set -euo pipefail
command -v chromium >/dev/null && exit 0
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "ensure-browser: installing chromium from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
  || { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
