#!/usr/bin/env bash
# Makes sure local PostgreSQL and Redis are installed (Debian apt) and running, and that the
# molq role exists. Idempotent: on a machine where both already run it only checks.
# Works without systemd (containers, CI machines).
set -euo pipefail

log() { printf 'ensure-services: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  log "installing $* from Debian"
  export DEBIAN_FRONTEND=noninteractive
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # keep package scripts from starting daemons; we start them ourselves below
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  if [ ! -f /var/lib/apt/periodic/molq-updated ] || ! apt-cache policy "$1" 2>/dev/null | grep -q Candidate; then
    as_root apt-get update -qq
    as_root mkdir -p /var/lib/apt/periodic && as_root touch /var/lib/apt/periodic/molq-updated
  fi
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  [ "$made_policy" -eq 1 ] && as_root rm -f /usr/sbin/policy-rc.d
  return 0
}

wait_for() { # wait_for SECONDS CMD...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.3
  done
}

# --- packages ---------------------------------------------------------------
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-cli >/dev/null || missing+=(redis-tools)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v pg_isready >/dev/null || missing+=(postgresql-client)
if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi

# --- PostgreSQL ---------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  as_root mkdir -p /run/postgresql && as_root chown postgres:postgres /run/postgresql
  if ! ls "/etc/postgresql/$version/main" >/dev/null 2>&1; then
    log "creating PostgreSQL $version cluster"
    as_root pg_createcluster "$version" main >/dev/null
  fi
  log "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || as_root pg_ctlcluster "$version" main start
  wait_for 30 pg_isready -q -h 127.0.0.1 -p 5432 || { log "PostgreSQL did not start"; exit 1; }
fi

# The molq role (password auth works whether pg_hba says trust or scram-sha-256).
if [ "$(id -u)" -eq 0 ]; then
  runuser -u postgres -- psql -qAtX -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'molq') THEN
    CREATE ROLE molq LOGIN CREATEDB PASSWORD 'molq';
  END IF;
END $$;
SQL
fi

# --- Redis ----------------------------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  as_root mkdir -p /run/redis /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir /var/lib/redis \
    --appendonly yes --logfile /var/log/redis/molq.log
  wait_for 15 redis-cli -h 127.0.0.1 -p 6379 ping || { log "Redis did not start"; exit 1; }
fi

log "PostgreSQL and Redis are up"
