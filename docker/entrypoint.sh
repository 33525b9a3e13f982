#!/bin/sh
# molq master | molq worker [--queues a,b] [--concurrency n] | molq migrate
set -eu
cmd="${1:-master}"
[ "$#" -gt 0 ] && shift
case "$cmd" in
  master)  exec node /app/dist/src/main.js "$@" ;;
  worker)  exec node /app/dist/workers/main.js "$@" ;;
  migrate) exec node /app/dist/src/database/migrate.main.js "$@" ;;
  *) echo "usage: molq master | worker --queues a,b [--concurrency n] | migrate" >&2; exit 64 ;;
esac
