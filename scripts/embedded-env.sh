# Sourced by start.sh and dev.sh: the embedded set-up's environment (scripts/embedded.env, then this
# machine's secrets, made once, never committed, kept outside the repository: no job, no web route and
# no worker pool can read them; scripts/embedded.ts gives them to the master alone).
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
