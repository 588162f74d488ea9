#!/usr/bin/env bash
# bench/run.sh - the MPN ID verification benchmark: the service against the ideal baseline server, in the same run.
#
# Usage: bench/run.sh [options] [-- extra compare.sh options]
#
#   -n "SIZES"  partner counts to measure (default "10000 1000000")
#   -e "ENGINES" sqlite, postgres or both (default "sqlite postgres"; -e sqlite or -e postgres for one)
#   -s          seed the SQLite database again even when bench/out already holds one of that size (PostgreSQL is seeded on
#               every run)
#   -K          skip the bulk run (single requests against POST /v1/profiles/mpn/verifications, see below)
#   -c N        MpnVerification:CacheCapacity for the service (default: the service's default)
#   -W SECS     warm-up of each server before compare.sh's first round (default 15: the service's tiered compilation keeps
#               a core busy for its first 10-20 s under load, and at 1,000,000 partners its first copy of the directory is
#               read then; this measures the steady state; compare.sh's own default is 5 s)
#   -h          this help
#   extra options after -- go to compare.sh, e.g. -- -Z 0 -q 2 (do not wait for a quiet machine) or -- -r 5
#
# For each engine and size it:
#   1. seeds the database: N partner accounts, each with a global MPN ID and a headquarters location with its own ID,
#      interleaved so the known IDs are 1000000 .. 1000000+2N-1 (bench/Seeder: the real migrations, rows mapped from the EF
#      model), and one API key:
#      - sqlite: bench/out/partners-N.db (once; bulk insert), key in bench/out/partners-N.key;
#      - postgres: the database partneraccounts_bench_mpn (dropped and created again, binary COPY, VACUUM ANALYZE) on a
#        throwaway server from scripts/pg-throwaway.sh, started and stopped here, or on the server BENCH_PG_CONNECTION
#        names (its Database= is replaced by partneraccounts_bench_mpn, which the run drops and re-creates); key in
#        bench/out/partners-pg-N.key; the service runs with Database__Provider=Postgres;
#   2. runs ../shared/bench/compare.sh with the Release build of the service (ASPNETCORE_ENVIRONMENT=Production) against the
#      baseline holding the same 2N IDs (its in-memory Dictionary: the "physical limit"), for
#      '/v1/profiles/mpn?mpnId={id}' (known IDs plus 10% unknown) sent with the seeded key in X-Api-Key, as integrations do;
#   3. (bulk run) starts the service alone and measures, A B A B, single verifications and
#      POST /v1/profiles/mpn/verifications with 1,000 known IDs per request (bench/bulk.lua), and prints verified IDs per
#      second for both and their ratio.
# The per-account verification budgets are raised for the run by configuration only
# (MpnVerification:Budgets:HitsPerWindow / MissesPerWindow), so that it measures throughput with the budgets counting.
# Summary lines go to bench/out/results-<time>.txt, each tagged with its engine; the last lines check the targets (the
# same targets for both engines; the baseline is the same in-memory Dictionary for both).
#
# Needs: the .NET 10 SDK, wrk, curl, python3, and ../shared/bench (compare.sh, loadtest.sh, baseline/) beside the
# repository or its worktree folder (or SHARED_BENCH=/path/to/shared/bench); for postgres, PostgreSQL 15's binaries
# (scripts/pg-throwaway.sh installs them when missing) or BENCH_PG_CONNECTION.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED_BENCH:-$root/../shared/bench}"
[ -n "${SHARED_BENCH:-}" ] || [ -d "$shared" ] || shared="$root/../../shared/bench"   # a worktree under wt/
out="$root/bench/out"
sizes="10000 1000000" engines="sqlite postgres" reseed=0 bulk=1 capacity="" warmup=15
pg_database=partneraccounts_bench_mpn

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts ":n:e:sKc:W:h" opt; do
  case "$opt" in
    n) sizes="$OPTARG" ;;
    e) engines="$OPTARG" ;;
    s) reseed=1 ;;
    K) bulk=0 ;;
    c) capacity="$OPTARG" ;;
    W) warmup="$OPTARG" ;;
    h) usage ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
compare_extra=("$@")
for engine in $engines; do
  case "$engine" in sqlite|postgres) ;; *) echo "run.sh: unknown engine '$engine' (sqlite, postgres)" >&2; exit 2 ;; esac
done

[ -x "$shared/compare.sh" ] || { echo "run.sh: $shared/compare.sh not found (set SHARED_BENCH)" >&2; exit 1; }
shared="$(cd "$shared" && pwd)"
mkdir -p "$out"
results="$out/results-$(date -u +%Y%m%dT%H%M%SZ).txt"

echo "# building the service and the seeder (Release)"
dotnet build "$root/src/Api" -c Release -nologo -v q > "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
dotnet build "$root/bench/Seeder" -c Release -nologo -v q >> "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
bin="$root/src/Api/bin/Release/net10.0"
dll="$bin/PartnerAccounts.Api.dll"
seeder="$root/bench/Seeder/bin/Release/net10.0/PartnerAccounts.Bench.Seeder.dll"
# Production refuses to start without a signing key and a key file protecting the Data Protection key ring (as a deployment's secrets)
dp_key="$out/bench-dp.key"
[ -s "$dp_key" ] || head -c 32 /dev/urandom | base64 > "$dp_key"
signing_key="bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-signing-key"

pg_dir=""
stop_postgres() {
  if [ -n "$pg_dir" ]; then "$root/scripts/pg-throwaway.sh" stop "$pg_dir/pg" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; pg_dir=""; fi
}
trap stop_postgres EXIT

# postgres_connection: sets $pg_connection, the connection string of the benchmark's database (starts the server on first
# use; not in a subshell, so that the EXIT trap knows the server)
pg_connection=""
postgres_connection() {
  if [ -z "$pg_connection" ]; then
    local server="${BENCH_PG_CONNECTION:-}"
    if [ -z "$server" ]; then
      pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/mpn-bench-pg.XXXXXX")"
      echo "# starting a throwaway PostgreSQL (scripts/pg-throwaway.sh)" >&2
      server="$("$root/scripts/pg-throwaway.sh" start "$pg_dir/pg")"
    fi
    # the seeder drops and re-creates this database: never the one the connection string names
    server="$(sed -E 's/(^|;)[[:space:]]*Database[[:space:]]*=[^;]*//I' <<<"$server")"
    server="${server#;}"
    pg_connection="${server%;};Database=$pg_database"
  fi
}

# service_env ENGINE CONNECTION -> the environment the service runs with during the benchmark
service_env() {
  local provider=Sqlite
  [ "$1" = postgres ] && provider=Postgres
  local env=(ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning
    "Database__Provider=$provider" "ConnectionStrings__PartnerAccounts=$2"
    MpnVerification__Budgets__HitsPerWindow=2000000000 MpnVerification__Budgets__MissesPerWindow=2000000000
    "DataProtection__KeyFile=$dp_key" "Auth__SigningKey=$signing_key")
  [ -z "$capacity" ] || env+=("MpnVerification__CacheCapacity=$capacity")
  printf '%s\n' "${env[@]}"
}

# bulk_run ENGINE N CONNECTION KEY MAX: the service alone, A B A B: single verifications, then bulk ones of 1,000 known IDs
bulk_run() {
  local engine="$1" n="$2" connection="$3" key="$4" max="$5" port pid url r line
  local log="$out/bulk-$engine-$n.log" run="$engine:$n"
  port=$(( 20000 + RANDOM % 12000 ))
  url="http://127.0.0.1:$port"
  mapfile -t env < <(service_env "$engine" "$connection")
  env "${env[@]}" setsid dotnet "$dll" --urls "$url" --contentRoot "$bin" > "$log" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 600); do
    curl -s -o /dev/null -m 1 "$url/" && break
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: the service did not start; see $log" >&2; return 1; }
    sleep 0.1
  done
  local lt=("$shared/loadtest.sh" -x -i 1000000 -I "$max" -H "X-Api-Key: $key")
  local bulk=(env BULK_KEY="$key" BULK_MIN=1000000 BULK_MAX="$max" wrk -t1 -c4 -d5s --latency -s "$root/bench/bulk.lua" "$url")
  "${lt[@]}" -d 3s "$url" '/v1/profiles/mpn?mpnId={id}' > /dev/null
  "${bulk[@]}" -d 3s > /dev/null
  local single_ids=() bulk_ids=()
  for r in 1 2 3; do
    line="$("${lt[@]}" -d 5s "$url" '/v1/profiles/mpn?mpnId={id}')"
    echo "$engine bulk round=$r single $line"
    # verified IDs per second of single requests: the 2xx answers (unknown IDs are 404)
    single_ids+=("$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } } END { printf "%d", (v["duration_s"] > 0) ? v["n2xx"] / v["duration_s"] : 0 }' <<<"$line")")
    line="$("${bulk[@]}" | grep '^bulk_requests=')"
    echo "$engine bulk round=$r bulk $line"
    bulk_ids+=("$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } } END { printf "%d", (v["errors"] == 0 && v["bulk_non2xx"] == 0 && v["bulk_duration_s"] > 0) ? v["bulk_requests"] * v["bulk_ids_per_request"] / v["bulk_duration_s"] : 0 }' <<<"$line")")
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local s b
  s=$(printf '%s\n' "${single_ids[@]}" | sort -n | sed -n 2p)
  b=$(printf '%s\n' "${bulk_ids[@]}" | sort -n | sed -n 2p)
  bulk_ratio[$run]=$(awk -v s="$s" -v b="$b" 'BEGIN { printf "%.2f", (s > 0) ? b / s : 0 }')
  echo "$engine bulk partners=$n verified_ids_per_s_single=$s verified_ids_per_s_bulk=$b ratio=${bulk_ratio[$run]}" | tee -a "$results"
}

declare -A rps=() ratio_rps=() ratio_p99=() rss=() bulk_ratio=()
for engine in $engines; do
  for n in $sizes; do
    run="$engine:$n"
    if [ "$engine" = sqlite ]; then
      db="$out/partners-$n.db"
      keyfile="$out/partners-$n.key"
      connection="Data Source=$db"
      if [ "$reseed" = 1 ] || [ ! -f "$db" ] || [ ! -f "$keyfile" ]; then
        echo "# sqlite: seeding $n partners into $db"
        dotnet "$seeder" --db "$db" --partners "$n" --api-key-file "$keyfile"
      fi
    else
      postgres_connection
      connection="$pg_connection"
      keyfile="$out/partners-pg-$n.key"
      echo "# postgres: seeding $n partners into database $pg_database"
      dotnet "$seeder" --provider postgres --connection "$connection" --partners "$n" --api-key-file "$keyfile"
    fi
    max=$(( 1000000 + 2 * n - 1 ))
    echo "# $engine partners=$n: compare.sh (known MPN IDs 1000000..$max, plus 10% unknown)" | tee -a "$results"
    mapfile -t env < <(service_env "$engine" "$connection")
    key="$(head -n 1 "$keyfile")"
    log="$out/compare-$engine-$n.log"
    "$shared/compare.sh" -n "$(( 2 * n ))" -l "-i 1000000 -I $max -H 'X-Api-Key: $key'" -o "$results.part" -w "${warmup}s" ${compare_extra[@]+"${compare_extra[@]}"} -- \
      env "${env[@]}" dotnet "$dll" --urls '{URL}' --contentRoot "$bin" | tee "$log"
    sed "s/^/$engine partners=$n: /" "$results.part" >> "$results"
    rm -f "$results.part"

    rps[$run]=$(sed -n 's/^median project .* rps=\([0-9]*\) .*/\1/p' "$log" | tail -n 1)
    ratio_rps[$run]=$(sed -n 's/^ratio .* rps=\([0-9.]*\) .*/\1/p' "$log" | tail -n 1)
    ratio_p99[$run]=$(sed -n 's/^ratio .* p99=\([0-9.]*\) .*/\1/p' "$log" | tail -n 1)
    rss[$run]=$(sed -n 's/^rss project peak_rss_mb=\([0-9.]*\) .*/\1/p' "$log" | tail -n 1)
    echo "$engine partners=$n ratio rps=${ratio_rps[$run]:-?} p99=${ratio_p99[$run]:-?} (service/baseline)" | tee -a "$results"
    if [ "$bulk" = 1 ]; then
      bulk_run "$engine" "$n" "$connection" "$key" "$max"
    fi
  done
  if [ "$engine" = postgres ]; then stop_postgres; pg_connection=""; fi
done

check() { awk -v v="$2" -v t="$4" -v op="$3" 'BEGIN { ok = (op == ">=") ? (v >= t) : (v < t || (op == "<=" && v == t)); exit !ok }' && echo "PASS $1 = $2 ($3 $4)" || echo "MISS $1 = $2 ($3 $4)"; }
{
  echo "# targets (ratios are project/baseline from the same run)"
  largest=$(tr ' ' '\n' <<<"$sizes" | sort -n | tail -n 1)
  smallest=$(tr ' ' '\n' <<<"$sizes" | sort -n | head -n 1)
  for engine in $engines; do
    for n in $sizes; do
      run="$engine:$n"
      check "$engine partners=$n rps ratio" "${ratio_rps[$run]:-0}" ">=" 0.8
      check "$engine partners=$n p99 ratio" "${ratio_p99[$run]:-99}" "<=" 1.5
      [ "$bulk" = 0 ] || check "$engine partners=$n bulk/single verified IDs per second" "${bulk_ratio[$run]:-0}" ">=" 5
      echo "$engine partners=$n project rps=${rps[$run]:-?} peak_rss_mb=${rss[$run]:-?}"
    done
    if [ "$largest" != "$smallest" ]; then
      check "$engine rps at $largest / rps at $smallest" "$(awk -v a="${rps[$engine:$largest]:-0}" -v b="${rps[$engine:$smallest]:-1}" 'BEGIN { printf "%.3f", a / b }')" ">=" 0.9
    fi
    check "$engine peak RSS at $largest partners (MB)" "${rss[$engine:$largest]:-9999}" "<" 400
  done
} | tee -a "$results"
echo "# results in $results"
