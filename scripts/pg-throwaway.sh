#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 on 127.0.0.1 from the machine's binaries and prints its connection string.
#   scripts/pg-throwaway.sh start DIR   -> prints "Host=127.0.0.1;Port=...;Username=postgres;Password=...;Database=postgres"
#   scripts/pg-throwaway.sh stop DIR
# Installs Debian's postgresql package when the binaries are missing. initdb refuses to run as root, so as root the
# server runs as the postgres user (runuser).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data directory}
bin=/usr/lib/postgresql/15/bin

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    if [ ! -x "$bin/initdb" ]; then
      echo "PostgreSQL 15 binaries missing: installing the postgresql package" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"
      # the postgres user must be able to reach the folder (mktemp makes its parents 0700)
      p=$(dirname "$dir"); while [ "$p" != / ]; do chmod o+x "$p"; p=$(dirname "$p"); done
    fi
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    pwfile="$dir/.pw"
    echo "$password" > "$pwfile"
    if [ "$(id -u)" = 0 ]; then chown postgres "$pwfile"; fi
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" -A scram-sha-256 -E UTF8 >"$dir/initdb.log" 2>&1
    rm -f "$pwfile"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
