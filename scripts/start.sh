#!/usr/bin/env bash
# The embedded default: local PostgreSQL + Redis, migrations, then the master and every worker
# pool on this machine (see scripts/embedded.ts). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
bash scripts/ensure-engines.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build

. scripts/embedded-env.sh
node dist/src/database/migrate.main.js
exec node dist/scripts/embedded.js
