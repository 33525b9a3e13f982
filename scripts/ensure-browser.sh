#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests when it is missing (playwright-core drives it;
# no browser is ever downloaded from elsewhere).
set -euo pipefail
bash "$(dirname "$0")/apt-ensure.sh" ensure-browser chromium=chromium
