#!/bin/sh
# One image, many commands:
#   molq master | molq worker --queues a,b [--concurrency n] | molq bridge | molq migrate | molq cli <args>
# MOLQ_HOME is /app in the image; the deployment test runs this same script on the host with the repo.
set -eu
home="${MOLQ_HOME:-/app}"
cmd="${1:-master}"
[ "$#" -gt 0 ] && shift
case "$cmd" in
  master)  exec node "$home/dist/src/main.js" "$@" ;;
  worker)  exec node "$home/dist/workers/main.js" "$@" ;;
  bridge)  exec node "$home/dist/workers/bridge/main.js" "$@" ;;
  migrate) exec node "$home/dist/src/database/migrate.main.js" "$@" ;;
  cli)     exec node "$home/dist/src/cli/main.js" "$@" ;;
  *) echo "usage: molq master | worker --queues a,b [--concurrency n] | bridge | migrate | cli ..." >&2; exit 64 ;;
esac
