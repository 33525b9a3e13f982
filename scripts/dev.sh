#!/usr/bin/env bash
# npm run dev: the developer loop on the embedded set-up. The master is rebuilt and restarted on every
# change (nest start --watch, which reads nest-cli.json); `npm run dev -- workers` runs every worker
# pool beside it (not watched: restart it after changing workers/ or a service they use).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
. scripts/embedded-env.sh
if [ "${1:-master}" = workers ]; then
  npx tsc -p tsconfig.json
  # the pools never get the master's secrets
  exec env -u JWT_SECRET -u URL_SIGNING_SECRET node dist/workers/main.js --queues ingestion,reports,upload,md,qc
fi
npx tsc -p tsconfig.json
node dist/src/database/migrate.main.js
exec npx nest start --watch
