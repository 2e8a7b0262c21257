#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server (initdb in a temporary directory, loopback
# only, trust auth), exporting FEDIBLOCK_TEST_PG_URL for it. The server and its data are removed
# when the command ends. Used by .ci/run and scripts/db-migration.ts.
#   scripts/with-postgres.sh npm test
set -euo pipefail
for bin in initdb pg_ctl; do
  command -v "$bin" >/dev/null || { echo "with-postgres: $bin not found (install PostgreSQL 15 or newer)" >&2; exit 1; }
done
dir=$(mktemp -d /tmp/fediblock-pg.XXXXXX)
port=${FEDIBLOCK_TEST_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}
# PostgreSQL refuses to run as root: run it as nobody when we are root.
run() { if [ "$(id -u)" = 0 ]; then su nobody -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" = 0 ] && chown nobody "$dir"
cleanup() { run "pg_ctl -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
run "initdb -D '$dir/data' -U postgres --auth=trust --no-sync -E UTF8" >/dev/null
run "pg_ctl -D '$dir/data' -w -l '$dir/log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null
export FEDIBLOCK_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL on $FEDIBLOCK_TEST_PG_URL" >&2
"$@"
