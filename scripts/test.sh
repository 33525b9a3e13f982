#!/usr/bin/env bash
# The test command (README, .ci/run): services up, dependencies installed, build, type-check
# the tests, run every spec against real PostgreSQL and Redis, print a one-line summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
bash scripts/ensure-engines.sh
bash scripts/ensure-browser.sh
bash scripts/ensure-slurm.sh
bash scripts/ensure-ops-tools.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build
npx tsc -p tsconfig.test.json --noEmit
status=0
npx jest --json --outputFile=.test-results.json "$@" || status=$?
node -e '
  const r = require("./.test-results.json");
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit "$status"
