#!/usr/bin/env bash
# bench/accounts.sh - account-scoped reads and writes against what the database itself allows, in the same run.
#
# Usage: bench/accounts.sh [options] [-- extra compare.sh options]
#
#   -e "ENGINES"  sqlite, postgres or both (default "sqlite postgres"); PostgreSQL comes from scripts/pg-throwaway.sh
#                 (a throwaway server, started and stopped here) unless BENCH_PG_CONNECTION names one
#   -w N          writers for the PUT row (default 16), one account each
#   -r ROUNDS     A B A B rounds for the PUT row (default 3; the GET row uses compare.sh's -r, pass it after --)
#   -d SECS       length of each PUT-row run in seconds (default 5)
#   -W SECS       warm-up of each service before its first measured run, GET row and PUT row (default 15: the runtime's
#                 tiered compilation keeps a core busy for the first 10-20 s under load; this measures the steady state)
#   -b DIR        run the service from this Release build folder (holding PartnerAccounts.Api.dll) instead of building
#                 this checkout, e.g. another commit's build for a before/after comparison
#   -h            this help
#   extra options after -- go to compare.sh, e.g. -- -Z 0 -q 2 (do not wait for a quiet machine)
#
# For each engine it:
#   1. starts the Release build in the Production environment on a fresh database with a random Auth:SigningKey, mints a
#      bearer token with that key (bench/AccountsBench token, the claims the tests use), and creates N accounts through
#      the real API (POST /v1/accounts: the token's user becomes their Global admin), reading each support profile's ETag;
#   2. GET row: ../shared/bench/compare.sh, the baseline's SQLite row lookup '/v1/profiles/mpn-sqlite?mpnId={id}' against
#      'GET /v1/accounts/{id}' with the bearer token, 32 connections (compare.sh's defaults: -t1, 3 rounds of 5 s);
#   3. PUT row: the service and the database's raw commit rate alternately (A B A B), each for -d seconds:
#      - service: wrk -tN -cN with bench/put-support.lua, PUT .../profiles/support with If-Match, the ETag of each answer
#        sent back as the next If-Match; acknowledged (2xx) writes per second;
#      - database: bench/AccountsBench commits: N writers each committing one-row UPDATEs in their own transactions on the
#        same engine (SQLite: a file beside the service's, WAL + synchronous=FULL + BEGIN IMMEDIATE; PostgreSQL: the same
#        server), commits per second.
#   and prints the ratios. Summary lines go to bench/out/accounts-<time>.txt.
#
# Needs: the .NET 10 SDK, wrk, curl, python3, and ../shared/bench beside the repository or its worktree folder (or
# SHARED_BENCH=...).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED_BENCH:-$root/../shared/bench}"
[ -n "${SHARED_BENCH:-}" ] || [ -d "$shared" ] || shared="$root/../../shared/bench"   # a worktree under wt/
out="$root/bench/out"
engines="sqlite postgres" writers=16 rounds=3 seconds=5 warmup=15 bin=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts ":e:w:r:d:W:b:h" opt; do
  case "$opt" in
    e) engines="$OPTARG" ;;
    w) writers="$OPTARG" ;;
    r) rounds="$OPTARG" ;;
    d) seconds="$OPTARG" ;;
    W) warmup="$OPTARG" ;;
    b) bin="$(cd "$OPTARG" && pwd)" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
compare_extra=("$@")

[ -x "$shared/compare.sh" ] || { echo "accounts.sh: $shared/compare.sh not found (set SHARED_BENCH)" >&2; exit 1; }
shared="$(cd "$shared" && pwd)"
mkdir -p "$out"
results="$out/accounts-$(date -u +%Y%m%dT%H%M%SZ).txt"
summary() { printf '%s\n' "$*" | tee -a "$results"; }

echo "# building the service and the bench helper (Release)"
: > "$out/accounts-build.log"
if [ -z "$bin" ]; then
  dotnet build "$root/src/Api" -c Release -nologo -v q >> "$out/accounts-build.log" 2>&1 || { cat "$out/accounts-build.log" >&2; exit 1; }
  bin="$root/src/Api/bin/Release/net10.0"
fi
dotnet build "$root/bench/AccountsBench" -c Release -nologo -v q >> "$out/accounts-build.log" 2>&1 || { cat "$out/accounts-build.log" >&2; exit 1; }
dll="$bin/PartnerAccounts.Api.dll"
helper=(dotnet "$root/bench/AccountsBench/bin/Release/net10.0/PartnerAccounts.Bench.Accounts.dll")

signing_key="bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-signing-key"
email="bench-admin@bench.example"
# Production refuses to start without a key file protecting the Data Protection key ring (a deployment's secret)
dp_key="$out/bench-dp.key"
[ -s "$dp_key" ] || head -c 32 /dev/urandom | base64 > "$dp_key"
token="$("${helper[@]}" token --key "$signing_key" --email "$email" --minutes 240)"

pids=() pg_dir=""
cleanup() {
  local p
  for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=()
  if [ -n "$pg_dir" ]; then "$root/scripts/pg-throwaway.sh" stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; pg_dir=""; fi
}
trap cleanup EXIT

# service_env ENGINE CONNECTION -> the environment of the service: Production, real credentials, logs at Warning.
service_env() {
  local provider=Sqlite
  [ "$1" = postgres ] && provider=Postgres
  printf '%s\n' ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning \
    "Database__Provider=$provider" "ConnectionStrings__PartnerAccounts=$2" "Auth__SigningKey=$signing_key" \
    "DataProtection__KeyFile=$dp_key"
}

# start_service ENGINE CONNECTION LOG -> sets $url, $service_pid
start_service() {
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  url="http://127.0.0.1:$port"
  mapfile -t env < <(service_env "$1" "$2")
  env "${env[@]}" setsid dotnet "$dll" --urls "$url" --contentRoot "$bin" > "$3" 2>&1 < /dev/null &
  service_pid=$!
  pids+=("$service_pid")
  for _ in $(seq 1 600); do
    curl -s -o /dev/null -m 1 "$url/v1/programs" && return 0
    kill -0 "$service_pid" 2>/dev/null || { echo "accounts.sh: the service did not start; see $3" >&2; return 1; }
    sleep 0.1
  done
  echo "accounts.sh: the service did not answer; see $3" >&2; return 1
}

stop_service() {
  kill "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  pids=("${pids[@]/$service_pid}")
}

# seed ACCOUNTS_FILE: creates $writers accounts through the API, writes "<id> <etag>" lines
seed() {
  local file="$1" i body id etag
  : > "$file"
  for i in $(seq 1 "$writers"); do
    body="{\"legalName\": \"Bench Partner $i Ltd\", \"address\": {\"addressLine1\": \"$i Main St\", \"city\": \"Seattle\", \"state\": \"WA\", \"postalCode\": \"98101\", \"country\": \"US\"}, \"primaryContact\": {\"firstName\": \"Pat\", \"lastName\": \"Lee\", \"email\": \"pat$i@bench.example\"}}"
    id="$(curl -sf -X POST "$url/v1/accounts" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
    etag="$(curl -sf -D - -o /dev/null "$url/v1/accounts/$id/profiles/support" -H "Authorization: Bearer $token" \
      | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')"
    [ -n "$id" ] && [ -n "$etag" ] || { echo "accounts.sh: seeding failed" >&2; return 1; }
    printf '%s %s\n' "$id" "$etag" >> "$file"
  done
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }

bench_engine() {
  local engine="$1" connection raw_connection accounts first log r line put_lines="" raw_lines=""
  case "$engine" in
    sqlite)
      rm -f "$out/accounts-sqlite.db"* "$out/accounts-raw.db"*
      connection="Data Source=$out/accounts-sqlite.db"
      raw_connection="Data Source=$out/accounts-raw.db"
      ;;
    postgres)
      if [ -n "${BENCH_PG_CONNECTION:-}" ]; then
        connection="$BENCH_PG_CONNECTION"
      else
        pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/accounts-bench-pg.XXXXXX")"
        connection="$("$root/scripts/pg-throwaway.sh" start "$pg_dir/pg")"
        connection="${connection/Database=postgres/Database=partneraccounts_bench}"
        # the service creates its database through its migrations
      fi
      raw_connection="$connection"
      ;;
    *) echo "accounts.sh: unknown engine $engine" >&2; return 2 ;;
  esac
  accounts="$out/accounts-$engine.txt"
  log="$out/accounts-$engine-service.log"

  echo "# $engine: service $dll"
  echo "# $engine: seeding $writers accounts through the API (Production)"
  start_service "$engine" "$connection" "$log"
  seed "$accounts"
  stop_service
  first="$(head -n 1 "$accounts" | cut -d' ' -f1)"

  echo "# $engine: GET /v1/accounts/{id} against the baseline's SQLite row lookup (compare.sh)"
  mapfile -t env < <(service_env "$engine" "$connection")
  "$shared/compare.sh" -p '/v1/profiles/mpn-sqlite?mpnId={id}' -P "/v1/accounts/$first" \
    -l "-H 'Authorization: Bearer $token'" -R /v1/programs -o "$results.get-$engine" -w "${warmup}s" ${compare_extra[@]+"${compare_extra[@]}"} \
    -- env "${env[@]}" dotnet "$dll" --urls '{URL}' --contentRoot "$bin" | grep -E '^(median|ratio|WARNING|rss|round)'
  sed "s/^/$engine get: /" "$results.get-$engine" >> "$results"
  rm -f "$results.get-$engine"
  summary "$engine service: $dll"

  echo "# $engine: PUT .../profiles/support with If-Match, $writers writers, against raw commits ($rounds rounds of ${seconds}s)"
  start_service "$engine" "$connection" "$log"
  PUT_ACCOUNTS="$accounts" wrk -t "$writers" -c "$writers" -d "${warmup}s" --timeout 5s -H "Authorization: Bearer $token" \
    -s "$root/bench/put-support.lua" "$url" > /dev/null 2>&1 || true   # warm-up
  for r in $(seq 1 "$rounds"); do
    line="$("${helper[@]}" commits --provider "$engine" --connection "$raw_connection" --writers "$writers" --seconds "$seconds")"
    echo "round=$r raw $line"
    raw_lines+="$(field commits_per_s "$line")"$'\n'
    line="$(PUT_ACCOUNTS="$accounts" wrk -t "$writers" -c "$writers" -d "${seconds}s" --timeout 5s -H "Authorization: Bearer $token" \
      -s "$root/bench/put-support.lua" "$url" 2>&1 | sed -n 's/^PUT_RESULT //p')"
    echo "round=$r service $line"
    put_lines+="$(field acknowledged_per_s "$line")"$'\n'
    summary "$engine put round=$r $line"
  done
  stop_service
  local raw_median put_median
  raw_median="$(printf '%s' "$raw_lines" | median)"
  put_median="$(printf '%s' "$put_lines" | median)"
  summary "$engine get: see the ratio line above (GET /v1/accounts/{id} vs /v1/profiles/mpn-sqlite)"
  summary "$(awk -v e="$engine" -v p="$put_median" -v b="$raw_median" -v w="$writers" 'BEGIN {
    printf "%s put: median acknowledged_per_s=%.0f raw_commits_per_s=%.0f ratio=%.3f writers=%d\n", e, p, b, (b > 0) ? p / b : 0, w }')"
  [ "$engine" = postgres ] && cleanup
  return 0
}

for engine in $engines; do bench_engine "$engine"; done
echo "# results: $results"
grep -E 'ratio|median' "$results" || true
