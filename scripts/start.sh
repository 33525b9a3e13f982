#!/usr/bin/env bash
# The embedded default: local PostgreSQL + Redis, migrations, then the master and every worker
# pool on this machine (see scripts/embedded.ts). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
bash scripts/ensure-engines.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build

# Secrets for this machine only, made once, never committed, kept outside the repository (no job,
# no web route and no worker pool can read them; scripts/embedded.ts gives them to the master alone).
secrets="${MOLQ_SECRETS_FILE:-${XDG_CONFIG_HOME:-$HOME/.config}/molq/secrets.env}"
random() { node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))'; }
(
  umask 077
  mkdir -p "$(dirname "$secrets")"
  touch "$secrets"
  # an older checkout kept JWT_SECRET in .env.local inside the repository: move it out
  if [ -f .env.local ]; then grep '^JWT_SECRET=' .env.local >> "$secrets" || true; rm -f .env.local; fi
  grep -q '^JWT_SECRET=' "$secrets" || printf 'JWT_SECRET=%s\n' "$(random)" >> "$secrets"
  grep -q '^URL_SIGNING_SECRET=' "$secrets" || printf 'URL_SIGNING_SECRET=%s\n' "$(random)" >> "$secrets"
)
set -a
. scripts/embedded.env
. "$secrets"
set +a
node dist/src/database/migrate.main.js
exec node dist/scripts/embedded.js
