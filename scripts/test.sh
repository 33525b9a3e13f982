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
bash scripts/ensure-python-client.sh # Debian's httpx/tqdm/pandas/pytest, the client in clients/python/.venv
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build
npx tsc -p tsconfig.test.json --noEmit
npm run --silent lint # house rules: ESLint (with the import boundaries) and Prettier
# A database of this run's own, which does not exist yet: every run takes the fresh-database path
# (two jest workers creating it and migrating at once), and runs never share tables.
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  export TEST_DATABASE_URL="postgres://molq:molq@127.0.0.1:5432/molq_test_$(date +%s)_$$"
  drop_test_database() {
    node -e '
      const { Client } = require("pg");
      const url = new URL(process.argv[1]); const name = url.pathname.slice(1); url.pathname = "/postgres";
      const c = new Client({ connectionString: url.toString() });
      c.connect().then(() => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch((e) => console.error(`test.sh: could not drop ${name}: ${e.message}`)).finally(() => c.end());
    ' "$TEST_DATABASE_URL"
  }
  trap drop_test_database EXIT
fi
status=0
rm -f test-output/pytest.xml # written by python-client.spec.ts (the client's pytest suite)
npx jest --json --outputFile=.test-results.json "$@" || status=$?
node -e '
  const fs = require("fs");
  const r = require("./.test-results.json");
  let line = `jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : "");
  if (fs.existsSync("test-output/pytest.xml")) {
    const suite = fs.readFileSync("test-output/pytest.xml", "utf8").match(/<testsuite [^>]*>/)[0];
    const n = (k) => Number((suite.match(new RegExp(` ${k}="(\\d+)"`)) || [0, 0])[1]);
    const failed = n("failures") + n("errors");
    line += `; pytest: ${n("tests") - failed - n("skipped")} passed, ${failed} failed` + (n("skipped") ? `, ${n("skipped")} skipped` : "");
  }
  console.log(line);
' || true
exit "$status"
