#!/usr/bin/env bash
# bench/run.sh - the MPN ID verification benchmark: the service against the ideal baseline server, in the same run.
#
# Usage: bench/run.sh [options] [-- extra compare.sh options]
#
#   -n "SIZES"  partner counts to measure (default "10000 1000000")
#   -s          seed again even when bench/out already holds a database of that size
#   -K          skip the bulk run (single requests against POST /v1/profiles/mpn/verifications, see below)
#   -c N        MpnVerification:CacheCapacity for the service (default: the service's default)
#   -h          this help
#   extra options after -- go to compare.sh, e.g. -- -Z 0 -q 2 (do not wait for a quiet machine) or -- -r 5
#
# For each size it:
#   1. seeds bench/out/partners-N.db (once): N partner accounts, each with a global MPN ID and a headquarters location with
#      its own ID, interleaved so the known IDs are 1000000 .. 1000000+2N-1 (bench/Seeder: bulk insert, real migrations),
#      and one API key (bench/out/partners-N.key);
#   2. runs ../shared/bench/compare.sh with the Release build of the service (ASPNETCORE_ENVIRONMENT=Production) against the
#      baseline holding the same 2N IDs (its in-memory Dictionary: the "physical limit"), for
#      '/v1/profiles/mpn?mpnId={id}' (known IDs plus 10% unknown) sent with the seeded key in X-Api-Key, as integrations do;
#   3. (bulk run) starts the service alone and measures, A B A B, single verifications and
#      POST /v1/profiles/mpn/verifications with 1,000 known IDs per request (bench/bulk.lua), and prints verified IDs per
#      second for both and their ratio.
# The per-account verification budgets are raised for the run by configuration only
# (MpnVerification:Budgets:HitsPerWindow / MissesPerWindow), so that it measures throughput with the budgets counting.
# Summary lines go to bench/out/results-<time>.txt; the last lines check the targets.
#
# Needs: the .NET 10 SDK, wrk, curl, and ../shared/bench (compare.sh, loadtest.sh, baseline/) beside the repository
# (or SHARED_BENCH=/path/to/shared/bench).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED_BENCH:-$root/../shared/bench}"
out="$root/bench/out"
sizes="10000 1000000" reseed=0 bulk=1 capacity=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts ":n:sKc:h" opt; do
  case "$opt" in
    n) sizes="$OPTARG" ;;
    s) reseed=1 ;;
    K) bulk=0 ;;
    c) capacity="$OPTARG" ;;
    h) usage ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
compare_extra=("$@")

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

# service_env DB -> the environment the service runs with during the benchmark
service_env() {
  local env=(ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning
    Database__Provider=Sqlite "ConnectionStrings__PartnerAccounts=Data Source=$1"
    MpnVerification__Budgets__HitsPerWindow=2000000000 MpnVerification__Budgets__MissesPerWindow=2000000000
    "DataProtection__KeyFile=$dp_key" "Auth__SigningKey=$signing_key")
  [ -z "$capacity" ] || env+=("MpnVerification__CacheCapacity=$capacity")
  printf '%s\n' "${env[@]}"
}

# bulk_run N DB KEY MAX: the service alone, A B A B: single verifications, then bulk ones of 1,000 known IDs
bulk_run() {
  local n="$1" db="$2" key="$3" max="$4" port pid url r line
  port=$(( 20000 + RANDOM % 12000 ))
  url="http://127.0.0.1:$port"
  mapfile -t env < <(service_env "$db")
  env "${env[@]}" setsid dotnet "$dll" --urls "$url" --contentRoot "$bin" > "$out/bulk-$n.log" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 600); do
    curl -s -o /dev/null -m 1 "$url/" && break
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: the service did not start; see $out/bulk-$n.log" >&2; return 1; }
    sleep 0.1
  done
  local lt=("$shared/loadtest.sh" -x -i 1000000 -I "$max" -H "X-Api-Key: $key")
  local bulk=(env BULK_KEY="$key" BULK_MIN=1000000 BULK_MAX="$max" wrk -t1 -c4 -d5s --latency -s "$root/bench/bulk.lua" "$url")
  "${lt[@]}" -d 3s "$url" '/v1/profiles/mpn?mpnId={id}' > /dev/null
  "${bulk[@]}" -d 3s > /dev/null
  local single_ids=() bulk_ids=()
  for r in 1 2 3; do
    line="$("${lt[@]}" -d 5s "$url" '/v1/profiles/mpn?mpnId={id}')"
    echo "bulk round=$r single $line"
    # verified IDs per second of single requests: the 2xx answers (unknown IDs are 404)
    single_ids+=("$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } } END { printf "%d", (v["duration_s"] > 0) ? v["n2xx"] / v["duration_s"] : 0 }' <<<"$line")")
    line="$("${bulk[@]}" | grep '^bulk_requests=')"
    echo "bulk round=$r bulk $line"
    bulk_ids+=("$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } } END { printf "%d", (v["errors"] == 0 && v["bulk_non2xx"] == 0 && v["bulk_duration_s"] > 0) ? v["bulk_requests"] * v["bulk_ids_per_request"] / v["bulk_duration_s"] : 0 }' <<<"$line")")
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local s b
  s=$(printf '%s\n' "${single_ids[@]}" | sort -n | sed -n 2p)
  b=$(printf '%s\n' "${bulk_ids[@]}" | sort -n | sed -n 2p)
  bulk_ratio[$n]=$(awk -v s="$s" -v b="$b" 'BEGIN { printf "%.2f", (s > 0) ? b / s : 0 }')
  echo "bulk partners=$n verified_ids_per_s_single=$s verified_ids_per_s_bulk=$b ratio=${bulk_ratio[$n]}" | tee -a "$results"
}

declare -A rps=() ratio_rps=() ratio_p99=() rss=() bulk_ratio=()
for n in $sizes; do
  db="$out/partners-$n.db"
  keyfile="$out/partners-$n.key"
  if [ "$reseed" = 1 ] || [ ! -f "$db" ] || [ ! -f "$keyfile" ]; then
    echo "# seeding $n partners into $db"
    dotnet "$seeder" --db "$db" --partners "$n" --api-key-file "$keyfile"
  fi
  max=$(( 1000000 + 2 * n - 1 ))
  echo "# partners=$n: compare.sh (known MPN IDs 1000000..$max, plus 10% unknown)" | tee -a "$results"
  mapfile -t env < <(service_env "$db")
  key="$(head -n 1 "$keyfile")"
  "$shared/compare.sh" -n "$(( 2 * n ))" -l "-i 1000000 -I $max -H 'X-Api-Key: $key'" -o "$results" ${compare_extra[@]+"${compare_extra[@]}"} -- \
    env "${env[@]}" dotnet "$dll" --urls '{URL}' --contentRoot "$bin" | tee "$out/compare-$n.log"

  rps[$n]=$(sed -n 's/^median project .* rps=\([0-9]*\) .*/\1/p' "$out/compare-$n.log" | tail -n 1)
  ratio_rps[$n]=$(sed -n 's/^ratio .* rps=\([0-9.]*\) .*/\1/p' "$out/compare-$n.log" | tail -n 1)
  ratio_p99[$n]=$(sed -n 's/^ratio .* p99=\([0-9.]*\) .*/\1/p' "$out/compare-$n.log" | tail -n 1)
  rss[$n]=$(sed -n 's/^rss project peak_rss_mb=\([0-9.]*\) .*/\1/p' "$out/compare-$n.log" | tail -n 1)
  if [ "$bulk" = 1 ]; then
    bulk_run "$n" "$db" "$key" "$max"
  fi
done

check() { awk -v v="$2" -v t="$4" -v op="$3" 'BEGIN { ok = (op == ">=") ? (v >= t) : (v < t || (op == "<=" && v == t)); exit !ok }' && echo "PASS $1 = $2 ($3 $4)" || echo "MISS $1 = $2 ($3 $4)"; }
{
  echo "# targets (ratios are project/baseline from the same run)"
  for n in $sizes; do
    check "partners=$n rps ratio" "${ratio_rps[$n]:-0}" ">=" 0.8
    check "partners=$n p99 ratio" "${ratio_p99[$n]:-99}" "<=" 1.5
    [ "$bulk" = 0 ] || check "partners=$n bulk/single verified IDs per second" "${bulk_ratio[$n]:-0}" ">=" 5
    echo "partners=$n project rps=${rps[$n]:-?} peak_rss_mb=${rss[$n]:-?}"
  done
  largest=$(tr ' ' '\n' <<<"$sizes" | sort -n | tail -n 1)
  smallest=$(tr ' ' '\n' <<<"$sizes" | sort -n | head -n 1)
  if [ "$largest" != "$smallest" ]; then
    check "rps at $largest / rps at $smallest" "$(awk -v a="${rps[$largest]:-0}" -v b="${rps[$smallest]:-1}" 'BEGIN { printf "%.3f", a / b }')" ">=" 0.9
  fi
  check "peak RSS at $largest partners (MB)" "${rss[$largest]:-9999}" "<" 400
} | tee -a "$results"
echo "# results in $results"
