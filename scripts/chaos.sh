#!/usr/bin/env bash
# The fault suite (`npm run chaos`, CI's second step): a whole molq on a PostgreSQL cluster, a
# Redis and an sshd of its own (loopback only, never the shared ones), faults injected while
# several hundred jobs run; prints one row per fault and writes chaos-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
bash scripts/ensure-engines.sh
bash scripts/ensure-slurm.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -n "${CHAOS_SKIP_BUILD:-}" ] || npm run --silent build
npx jest -c jest.chaos.config.js --runInBand "$@"
