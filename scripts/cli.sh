#!/usr/bin/env bash
# npm run cli -- <command>: the operator CLI, on the embedded set-up's database and Redis unless the
# environment names others (scripts/embedded.env only fills in what is not set).
set -euo pipefail
cd "$(dirname "$0")/.."
set -a
. scripts/embedded.env
set +a
exec node dist/src/cli/main.js "$@"
