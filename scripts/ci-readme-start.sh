#!/usr/bin/env bash
# CI: the README's start, run literally, on a fresh clone of this checkout.
#   1. "Deployment on PostgreSQL": the superuser's commands (as written, against a throwaway
#      PostgreSQL server whose superuser they run as), then the service's commands (export
#      DATABASE_URL, npm ci, npm start); wait for /healthz, sign in as admin with the printed
#      one-time password, stop.
#   2. "Several processes behind nginx": the three-process block and the nginx block as written
#      (nginx's `listen` line moved to a local port, without TLS), against the same database;
#      through nginx: healthy, sign-in, the same export from every process, a shared sign-in limit.
#   3. "Quick start"'s `DATABASE_URL=file:… npm start` in the same clone (its `npm ci` is the
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
nginx_prefix=""
cleanup() {
  [ -n "$service_pid" ] && kill -TERM -- "-$service_pid" 2>/dev/null || true
  [ -n "$nginx_prefix" ] && nginx -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf" -s stop 2>/dev/null || true
  run_as_pg "pg_ctl -D '$pg/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$work" "$pg"
}
trap cleanup EXIT

# The fenced block (```sh, ```nginx) after `<!-- ci: NAME -->` in the README.
readme_block() {
  awk -v marker="<!-- ci: $1 -->" '
    $0 == marker { found = 1; next }
    found && /^```[a-z]+$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }
  ' "$root/README.md"
}
for name in postgres-superuser postgres-service postgres-three nginx-upstream sqlite-elsewhere; do
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

echo "--- README, Several processes behind nginx: three processes, the nginx upstream"
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)" >&2; exit 1; }
admin_password=$(sed -n 's/^    \([A-Za-z0-9]\{5\}-[A-Za-z0-9]\{5\}-[A-Za-z0-9]\{5\}-[A-Za-z0-9]\{5\}\)$/\1/p' "$work/postgres-service.log" | head -1)
export PGPORT=$pg_port
three_log="$work/postgres-three.log"
(cd "$work/clone" && exec setsid bash -euo pipefail -c "$(readme_block postgres-three)") >"$three_log" 2>&1 &
service_pid=$!
deadline=$((SECONDS + 120))
for port in 3001 3002 3003; do
  until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$service_pid" 2>/dev/null || [ $SECONDS -gt $deadline ]; then
      echo "the three-process block did not start (port $port):" >&2; cat "$three_log" >&2; exit 1
    fi
    sleep 1
  done
done
nginx_prefix="$work/nginx"
mkdir -p "$nginx_prefix/logs"
front=$(free_port)
{
  echo "worker_processes 1; pid $nginx_prefix/nginx.pid; error_log $nginx_prefix/logs/error.log;"
  [ "$(id -u)" = 0 ] && echo "user root;"
  echo "events {}"
  echo "http { access_log off; client_body_temp_path $nginx_prefix/body; proxy_temp_path $nginx_prefix/proxy;"
  echo "  fastcgi_temp_path $nginx_prefix/fastcgi; uwsgi_temp_path $nginx_prefix/uwsgi; scgi_temp_path $nginx_prefix/scgi;"
  # The README's server block, as written, but on a local port without TLS.
  readme_block nginx-upstream | sed -e "s|^\( *\)listen 443 ssl;|\1listen 127.0.0.1:$front;|" -e '/ssl_certificate/d'
  echo "}"
} >"$nginx_prefix/nginx.conf"
grep -q "listen 127.0.0.1:$front;" "$nginx_prefix/nginx.conf" || { echo "the README's nginx block has no 'listen 443 ssl;' line" >&2; exit 1; }
nginx -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf"
via="http://127.0.0.1:$front"
through() { curl -sS -H "Host: blocklists.example.org" "$@"; }
for _ in $(seq 1 12); do
  [ "$(through -o /dev/null -w '%{http_code}' "$via/healthz")" = 200 ] || { echo "/healthz through nginx failed" >&2; exit 1; }
done
status=$(through -o "$work/login3.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "$via/auth/login")
[ "$status" = 200 ] || { echo "sign-in through nginx answered $status: $(cat "$work/login3.json")" >&2; exit 1; }
db_url=$(readme_block postgres-three | sed -n 's/^export DATABASE_URL=//p')
(cd "$work/clone" && DATABASE_URL=$db_url node bin/fediblock.js list create three --name Three >/dev/null)
etags=$(for _ in 1 2 3 4 5 6; do through -o /dev/null -D - "$via/lists/three.csv" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'; done | sort -u)
[ "$(wc -l <<<"$etags")" = 1 ] && [ -n "$etags" ] || { echo "the processes served different exports: $etags" >&2; exit 1; }
for attempt in 1 2 3 4 5; do
  status=$(through -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"wrong-password-$attempt\"}" "$via/auth/login")
  [ "$status" = 401 ] || { echo "wrong password $attempt through nginx answered $status" >&2; exit 1; }
done
status=$(through -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" "$via/auth/login")
[ "$status" = 429 ] || { echo "the sign-in limit did not hold across the processes: $status" >&2; exit 1; }
if grep -q -e "binaries.prisma.sh" -e "choose-a-password" "$three_log"; then
  echo "the three-process block downloaded an engine or printed a database password:" >&2; cat "$three_log" >&2; exit 1
fi
kill -TERM -- "-$service_pid"
wait "$service_pid" || true
service_pid=""
nginx -p "$nginx_prefix" -c "$nginx_prefix/nginx.conf" -s stop
nginx_prefix=""
unset PGPORT
echo "README's three processes behind nginx: healthy, signed in, one export, a shared limit"

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
