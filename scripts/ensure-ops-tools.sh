#!/usr/bin/env bash
# Installs what the deployment tests check the files with: Debian's docker-compose (validates the
# compose files; there is no Docker engine here) and nginx (nginx -t). A Debian nginx starts
# itself on port 80 when installed; the tests need only its binary, so it is stopped again.
set -euo pipefail
fresh=0
command -v nginx >/dev/null || fresh=1
bash "$(dirname "$0")/apt-ensure.sh" ensure-ops-tools docker-compose=docker-compose nginx=nginx
if [ "$fresh" -eq 1 ] && command -v nginx >/dev/null; then
  nginx -s quit 2>/dev/null || true
fi
