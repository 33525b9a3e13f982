#!/usr/bin/env bash
# Backs up molq's PostgreSQL with pg_dump (custom format, compressed) and keeps the newest N.
#   DATABASE_URL=postgres://… scripts/backup-postgres.sh /var/backups/molq [keep=14]
# Restore into an empty database:  pg_restore --no-owner -d "$DATABASE_URL" /var/backups/molq/molq-<stamp>.dump
# Only the schema in DATABASE_SCHEMA (default public) is dumped. Run it daily from cron or a systemd timer.
set -euo pipefail
dir="${1:?usage: backup-postgres.sh <directory> [keep]}"
keep="${2:-14}"
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "backup-postgres: keep must be a positive number, not '$keep'" >&2; exit 64; }
: "${DATABASE_URL:?backup-postgres: DATABASE_URL is not set}"
schema="${DATABASE_SCHEMA:-public}"
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$dir/molq-$stamp.dump"
pg_dump --format=custom --compress=6 --no-owner --schema="$schema" --file="$target.partial" "$DATABASE_URL"
mv "$target.partial" "$target"
echo "backup-postgres: wrote $target ($(stat -c %s "$target") bytes)"
# retention: the newest $keep dumps stay
mapfile -t old < <(ls -1t "$dir"/molq-*.dump | tail -n +"$((keep + 1))")
for f in "${old[@]}"; do rm -f -- "$f"; echo "backup-postgres: removed $f"; done
