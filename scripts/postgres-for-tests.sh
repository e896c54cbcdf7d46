#!/usr/bin/env bash
# A throwaway PostgreSQL on 127.0.0.1 for the tests, from Debian's packages (STACK.md's recipe).
#
#   eval "$(scripts/postgres-for-tests.sh start)"   # exports SHUTTLE_TEST_POSTGRES and SHUTTLE_TEST_POSTGRES_DIR
#   scripts/postgres-for-tests.sh stop "$SHUTTLE_TEST_POSTGRES_DIR"   # stops it by its own pid
#   scripts/postgres-for-tests.sh up DIR   # starts a stopped one again, on the same port (the restart test)
set -euo pipefail
up() {
  local dir=$1 bin port
  bin=$(cat "$dir/bin") port=$(cat "$dir/port")
  # The server keeps no descriptor of the caller's beyond 0-2: a caller that waits for its pipes
  # (or, like Foundation's Process, for a descriptor of its own) to close is not held for ever.
  for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] && [ "$fd" != 255 ]; then eval "exec $fd>&-"; fi
  done
  su postgres -c "$bin/pg_ctl -D $dir/data -l $dir/server.log -w -t 30 -o \"-c listen_addresses=127.0.0.1 -p $port -k $dir\" start" >&2
}
case "${1:-}" in
start)
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    apt-get update -q >&2 && apt-get install -y -q postgresql >&2
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  dir=$(mktemp -d)
  port=${SHUTTLE_TEST_POSTGRES_PORT:-54329}
  chown postgres:postgres "$dir"
  cd "$dir"  # su postgres needs a readable working folder
  echo "$bin" >"$dir/bin"
  echo "$port" >"$dir/port"
  su postgres -c "$bin/initdb -D $dir/data -U postgres --auth-local=trust --auth-host=scram-sha-256 --no-sync -E UTF8 --locale=C.UTF-8" >&2
  up "$dir"
  su postgres -c "psql -h $dir -p $port -U postgres -v ON_ERROR_STOP=1 -q -c \"CREATE ROLE shuttle LOGIN PASSWORD 'shuttle'\" -c 'CREATE DATABASE shuttle OWNER shuttle'" >&2
  echo "export SHUTTLE_TEST_POSTGRES=postgres://shuttle:shuttle@127.0.0.1:$port/shuttle?sslmode=disable"
  echo "export SHUTTLE_TEST_POSTGRES_DIR=$dir"
  ;;
stop)
  dir=${2:?the folder that start printed}
  if [ -f "$dir/data/postmaster.pid" ]; then
    pid=$(head -1 "$dir/data/postmaster.pid")
    kill -INT "$pid"  # fast shutdown, by its own pid
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  ;;
up)
  cd "${2:?the folder that start printed}"
  up "$2"
  ;;
*)
  echo "usage: $0 start | stop DIR | up DIR" >&2
  exit 64
  ;;
esac
