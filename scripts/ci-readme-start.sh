#!/usr/bin/env bash
# CI: the README's start, run literally, on a fresh clone of this checkout.
#   1. "Deployment on PostgreSQL": the superuser's commands (as written, against a throwaway
#      PostgreSQL server whose superuser they run as), then the service's commands (export
#      DATABASE_URL, npm ci, npm start); wait for /healthz, sign in as admin with the printed
#      one-time password, stop.
#   2. "Quick start"'s `DATABASE_URL=file:… npm start` in the same clone (its `npm ci` is the
#      step under test in 1): the same checks, and `npm start` must not rebuild.
# The commands are read from the README's ```sh blocks that follow `<!-- ci: NAME -->`, so the
# README cannot drift from what CI runs. PORT is set to a free port so that CI never collides
# with a service on 3000; nothing else is added to the README's environment.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/fediblock-readme.XXXXXX)
pg=$(mktemp -d /tmp/fediblock-readme-pg.XXXXXX)
service_pid=""
run_as_pg() { if [ "$(id -u)" = 0 ]; then su nobody -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup() {
  [ -n "$service_pid" ] && kill -TERM -- "-$service_pid" 2>/dev/null || true
  run_as_pg "pg_ctl -D '$pg/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$work" "$pg"
}
trap cleanup EXIT

# The ```sh block after `<!-- ci: NAME -->` in the README.
readme_block() {
  awk -v marker="<!-- ci: $1 -->" '
    $0 == marker { found = 1; next }
    found && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
  ' "$root/README.md"
}
for name in postgres-superuser postgres-service sqlite-elsewhere; do
  [ -n "$(readme_block "$name")" ] || { echo "README.md has no block <!-- ci: $name -->" >&2; exit 1; }
done

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# Starts the README block NAME in the background (its own process group), waits until the
# service answers /healthz, signs in as admin with the one-time password it printed, and stops it.
start_and_sign_in() {
  local name=$1 log="$work/$1.log"
  export PORT
  PORT=$(free_port)
  (cd "$work/clone" && exec setsid bash -euo pipefail -c "$(readme_block "$name")") >"$log" 2>&1 &
  service_pid=$!
  local deadline=$((SECONDS + 420))
  until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$service_pid" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      echo "README block $name did not start:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 1
  done
  sleep 1 # the first-start banner follows the listening line
  local password
  password=$(sed -n 's/^    \([A-Za-z0-9]\{5\}-[A-Za-z0-9]\{5\}-[A-Za-z0-9]\{5\}-[A-Za-z0-9]\{5\}\)$/\1/p' "$log" | head -1)
  [ -n "$password" ] || { echo "README block $name printed no one-time password:" >&2; cat "$log" >&2; exit 1; }
  local status
  status=$(curl -sS -o "$work/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" "http://127.0.0.1:$PORT/auth/login")
  [ "$status" = 200 ] || { echo "sign-in as admin answered $status: $(cat "$work/login.json")" >&2; exit 1; }
  kill -TERM -- "-$service_pid"
  wait "$service_pid" || true
  service_pid=""
  # The README's password must never reach the output; nothing may be downloaded.
  if grep -q -e "binaries.prisma.sh" -e "choose-a-password" "$log"; then
    echo "README block $name downloaded an engine or printed a database password:" >&2; cat "$log" >&2; exit 1
  fi
  echo "README block $name: healthy on port $PORT, signed in as admin"
}

echo "--- a fresh clone and a throwaway PostgreSQL server"
git clone -q "$root" "$work/clone"
[ "$(id -u)" = 0 ] && chown nobody "$pg"
pg_port=$(free_port)
run_as_pg "initdb -D '$pg/data' -U postgres --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8" >/dev/null
run_as_pg "pg_ctl -D '$pg/data' -w -l '$pg/log' -o \"-p $pg_port -k '$pg' -c listen_addresses=localhost -c fsync=off\" start" >/dev/null

echo "--- README, Deployment on PostgreSQL: the superuser's commands"
(cd "$work" && PGHOST="$pg" PGPORT=$pg_port PGUSER=postgres bash -euxo pipefail -c "$(readme_block postgres-superuser)")

echo "--- README, Deployment on PostgreSQL: the service's commands (npm ci, npm start)"
# The server is not on 5432: the README's URL names no port, so libpq's PGPORT says where it is.
export PGPORT=$pg_port
start_and_sign_in postgres-service
unset PGPORT

echo "--- README, Quick start: DATABASE_URL=file:… npm start (the same clone)"
start_and_sign_in sqlite-elsewhere
if grep -q "fediblock: building" "$work/sqlite-elsewhere.log"; then
  echo "npm start rebuilt although npm ci had just built:" >&2; cat "$work/sqlite-elsewhere.log" >&2; exit 1
fi
[ -f "$work/fediblock-data/fediblock.db" ] || { echo "the SQLite database is not where the README says" >&2; exit 1; }
# `npx fediblock …` in the checkout (the README's first steps) runs the built code, never a build.
npx_output=$(cd "$work/clone" && DATABASE_URL="file:$work/fediblock-data/fediblock.db" npx fediblock list create ci --name CI 2>&1)
if grep -q "fediblock: building" <<<"$npx_output" || ! grep -q "Created the public list ci" <<<"$npx_output"; then
  echo "npx fediblock rebuilt or failed: $npx_output" >&2; exit 1
fi
echo "README start checks passed"
