#!/usr/bin/env bash
# bench/run.sh - the MPN ID verification benchmark: the service against the ideal baseline server, in the same run.
#
# Usage: bench/run.sh [options] [-- extra compare.sh options]
#
#   -n "SIZES"  partner counts to measure (default "10000 1000000")
#   -s          seed again even when bench/out already holds a database of that size
#   -K          skip the keyed run (the same server with and without X-Api-Key, see below)
#   -c N        MpnVerification:CacheCapacity for the service (default: the service's default)
#   -h          this help
#   extra options after -- go to compare.sh, e.g. -- -Z 0 -q 2 (do not wait for a quiet machine) or -- -r 5
#
# For each size it:
#   1. seeds bench/out/partners-N.db (once): N partner accounts, each with a global MPN ID and a headquarters location with
#      its own ID, interleaved so the known IDs are 1000000 .. 1000000+2N-1 (bench/Seeder: bulk insert, real migrations);
#   2. runs ../shared/bench/compare.sh with the Release build of the service against the baseline holding the same 2N IDs
#      (its in-memory Dictionary: the "physical limit"), for '/v1/profiles/mpn?mpnId={id}' (known IDs plus 10% unknown);
#   3. (keyed run) starts the service alone and measures it A B A B with and without an X-Api-Key header, to show what the
#      key check costs. compare.sh cannot send headers (it splits -l options on spaces and wrk needs "Name: value"), so in
#      step 2 the service runs with Bench:AnonymousMpnVerification=true (refused in Production): requests without
#      credentials pass as one benchmark caller; everything else on the path (rate limiter, cache, JSON) is the same.
# The rate limit is raised for the run (RateLimits:MpnVerification:PermitLimit) so that it measures throughput.
# Summary lines go to bench/out/results-<time>.txt; the last lines check the targets.
#
# Needs: the .NET 10 SDK, wrk, curl, and ../shared/bench (compare.sh, loadtest.sh, baseline/) beside the repository
# (or SHARED_BENCH=/path/to/shared/bench).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED_BENCH:-$root/../shared/bench}"
out="$root/bench/out"
sizes="10000 1000000" reseed=0 keyed=1 capacity=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts ":n:sKc:h" opt; do
  case "$opt" in
    n) sizes="$OPTARG" ;;
    s) reseed=1 ;;
    K) keyed=0 ;;
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

# service_env DB -> the environment the service runs with during the benchmark
service_env() {
  local env=(ASPNETCORE_ENVIRONMENT=Benchmark DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning
    Database__Provider=Sqlite "ConnectionStrings__PartnerAccounts=Data Source=$1"
    RateLimits__MpnVerification__PermitLimit=2000000000 RateLimits__MpnVerification__WindowSeconds=1)
  [ -z "$capacity" ] || env+=("MpnVerification__CacheCapacity=$capacity")
  printf '%s\n' "${env[@]}"
}

# keyed_run N DB KEY: the service alone, A B A B with and without X-Api-Key
keyed_run() {
  local n="$1" db="$2" key="$3" max="$4" port pid url r line
  port=$(( 20000 + RANDOM % 12000 ))
  url="http://127.0.0.1:$port"
  mapfile -t env < <(service_env "$db")
  env "${env[@]}" Bench__AnonymousMpnVerification=true setsid dotnet "$dll" --urls "$url" --contentRoot "$bin" > "$out/keyed-$n.log" 2>&1 < /dev/null &
  pid=$!
  for _ in $(seq 1 600); do
    curl -s -o /dev/null -m 1 "$url/" && break
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: the service did not start; see $out/keyed-$n.log" >&2; return 1; }
    sleep 0.1
  done
  local lt=("$shared/loadtest.sh" -x -i 1000000 -I "$max")
  "${lt[@]}" -d 5s -H "X-Api-Key: $key" "$url" '/v1/profiles/mpn?mpnId={id}' > /dev/null
  local keyed_rps=() anon_rps=()
  for r in 1 2 3; do
    line="$("${lt[@]}" -d 5s -H "X-Api-Key: $key" "$url" '/v1/profiles/mpn?mpnId={id}')"
    echo "keyed round=$r with_key $line"
    keyed_rps+=("$(sed -n 's/^rps=\([0-9]*\).*/\1/p' <<<"$line")")
    line="$("${lt[@]}" -d 5s "$url" '/v1/profiles/mpn?mpnId={id}')"
    echo "keyed round=$r anonymous $line"
    anon_rps+=("$(sed -n 's/^rps=\([0-9]*\).*/\1/p' <<<"$line")")
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local k a
  k=$(printf '%s\n' "${keyed_rps[@]}" | sort -n | sed -n 2p)
  a=$(printf '%s\n' "${anon_rps[@]}" | sort -n | sed -n 2p)
  echo "keyed partners=$n rps_with_key=$k rps_anonymous=$a ratio=$(awk -v k="$k" -v a="$a" 'BEGIN { printf "%.3f", (a > 0) ? k / a : 0 }')" | tee -a "$results"
}

declare -A rps=() ratio_rps=() ratio_p99=() rss=()
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
  "$shared/compare.sh" -n "$(( 2 * n ))" -l "-i 1000000 -I $max" -o "$results" ${compare_extra[@]+"${compare_extra[@]}"} -- \
    env "${env[@]}" Bench__AnonymousMpnVerification=true dotnet "$dll" --urls '{URL}' --contentRoot "$bin" | tee "$out/compare-$n.log"

  rps[$n]=$(sed -n 's/^median project .* rps=\([0-9]*\) .*/\1/p' "$out/compare-$n.log" | tail -n 1)
  ratio_rps[$n]=$(sed -n 's/^ratio .* rps=\([0-9.]*\) .*/\1/p' "$out/compare-$n.log" | tail -n 1)
  ratio_p99[$n]=$(sed -n 's/^ratio .* p99=\([0-9.]*\) .*/\1/p' "$out/compare-$n.log" | tail -n 1)
  rss[$n]=$(sed -n 's/^rss project peak_rss_mb=\([0-9.]*\) .*/\1/p' "$out/compare-$n.log" | tail -n 1)
  if [ "$keyed" = 1 ]; then
    keyed_run "$n" "$db" "$(head -n 1 "$keyfile")" "$max"
  fi
done

check() { awk -v v="$2" -v t="$4" -v op="$3" 'BEGIN { ok = (op == ">=") ? (v >= t) : (v < t || (op == "<=" && v == t)); exit !ok }' && echo "PASS $1 = $2 ($3 $4)" || echo "MISS $1 = $2 ($3 $4)"; }
{
  echo "# targets (ratios are project/baseline from the same run)"
  for n in $sizes; do
    check "partners=$n rps ratio" "${ratio_rps[$n]:-0}" ">=" 0.6
    check "partners=$n p99 ratio" "${ratio_p99[$n]:-99}" "<=" 2
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
