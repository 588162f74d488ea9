#!/usr/bin/env bash
# bench/webhooks-pair.sh - what one delivered event costs the service, measured with both processes loaded at the same time.
#
# Usage: bench/webhooks-pair.sh [-r REPS] [-d SECS] [-W SECS] [-b DIR] [-h]
#
#   -r REPS    measured runs (default 4)
#   -d SECS    length of each run in seconds (default 15)
#   -W SECS    warm-up under the same load before the first run (default 20)
#   -b DIR     run the service from this Release build folder instead of building this checkout
#
# bench/webhooks.sh gives the verdict of issue 15's line (throughput, one process loaded at a time). This one answers a
# narrower question with less noise: how much service CPU a delivered event adds to the write that caused it. It starts
# two processes of the Release build exactly as bench/webhooks.sh does (Production, SQLite files of their own, a Data
# Protection key file, a random Auth:SigningKey and a bearer token minted with it) and the same local receiver
# (bench/receiver.c): A with 16 accounts and no webhooks, B with 16 accounts each subscribed to "*". Then both are loaded
# at the same time, each by its own wrk (16 writers, bench/put-support.lua), so a slow spell of the machine hits both
# alike, and each run prints both processes' CPU per acknowledged write (from /proc) and their difference: B's extra per
# delivered event, with the receiver's own CPU per delivery beside it. The first run after the warm-up usually still
# includes B's tiering. Summary lines go to bench/out/webhooks-pair.txt.
# Needs: the .NET 10 SDK, wrk, curl, python3, a C compiler (cc).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/webhooks-pair"
reps=4 seconds=15 warmup=20 bin=""
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts ":r:d:W:b:h" opt; do
  case "$opt" in
    r) reps="$OPTARG" ;; d) seconds="$OPTARG" ;; W) warmup="$OPTARG" ;; b) bin="$(cd "$OPTARG" && pwd)" ;; *) usage ;;
  esac
done

mkdir -p "$out"
rm -f "$out"/*.db* "$out"/*.key
pids=()
cleanup() { local p; for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

echo "# building the service and the token helper (Release)"
: > "$out/build.log"
if [ -z "$bin" ]; then
  dotnet build "$root/src/Api" -c Release -nologo -v q >> "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
  bin="$root/src/Api/bin/Release/net10.0"
fi
dotnet build "$root/bench/AccountsBench" -c Release -nologo -v q >> "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
signing_key="bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-signing-key"
token="$(dotnet "$root/bench/AccountsBench/bin/Release/net10.0/PartnerAccounts.Bench.Accounts.dll" token --key "$signing_key" --email bench-admin@bench.example --minutes 240)"
auth="Authorization: Bearer $token"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

receiver_port=$(free_port)
cc -O2 -o "$out/receiver" "$root/bench/receiver.c" || { echo "webhooks-pair.sh: could not build bench/receiver.c" >&2; exit 1; }
"$out/receiver" "$receiver_port" > "$out/receiver.log" 2>&1 &
receiver_pid=$!
pids+=("$receiver_pid")

declare -A url pid
for name in plain subscribed; do
  port=$(free_port); url[$name]="http://127.0.0.1:$port"
  head -c 32 /dev/urandom | base64 > "$out/$name.key"
  env ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning Database__Provider=Sqlite \
    ConnectionStrings__PartnerAccounts="Data Source=$out/$name.db" DataProtection__KeyFile="$out/$name.key" \
    Auth__SigningKey="$signing_key" Webhooks__AllowPrivateTargets=true \
    setsid dotnet "$bin/PartnerAccounts.Api.dll" --urls "${url[$name]}" --contentRoot "$bin" > "$out/$name.log" 2>&1 < /dev/null &
  pid[$name]=$!
  pids+=("$!")
done

# shellcheck source=bench/webhook-accounts.sh
source "$root/bench/webhook-accounts.sh"
for name in plain subscribed; do
  for _ in $(seq 1 600); do curl -s -o /dev/null -m 1 "${url[$name]}/v1/programs" && break; sleep 0.1; done
  seed_accounts "${url[$name]}" "$out/$name.accounts" 16 $([ "$name" = subscribed ] && echo subscribe)
done

load() { # NAME SECS -> acknowledged writes
  PUT_ACCOUNTS="$out/$1.accounts" wrk -t 16 -c 16 -d "${2}s" -H "$auth" -s "$root/bench/put-support.lua" "${url[$1]}" 2>&1 |
    sed -n 's/^PUT_RESULT .*n2xx=\([0-9]*\).*/\1/p'
}
both() { load plain "$1" > "$out/n.plain" & local other=$!; load subscribed "$1" > "$out/n.subscribed"; wait "$other"; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

echo "# warm-up (${warmup} s, both at once)"
both "$warmup"
extras=()
for rep in $(seq 1 "$reps"); do
  a0=$(ticks "${pid[plain]}"); b0=$(ticks "${pid[subscribed]}"); r0=$(ticks "$receiver_pid")
  both "$seconds"
  a1=$(ticks "${pid[plain]}"); b1=$(ticks "${pid[subscribed]}"); r1=$(ticks "$receiver_pid")
  na=$(cat "$out/n.plain"); nb=$(cat "$out/n.subscribed")
  line=$(awk -v a0="$a0" -v a1="$a1" -v b0="$b0" -v b1="$b1" -v r0="$r0" -v r1="$r1" -v na="$na" -v nb="$nb" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    ca = (a1 - a0) * 1e6 / hz / na; cb = (b1 - b0) * 1e6 / hz / nb;
    printf "A %d writes %.0f us/write  B %d writes %.0f us/write  extra_us_per_event=%.0f receiver_us_per_delivery=%.0f", na, ca, nb, cb, cb - ca, (r1 - r0) * 1e6 / hz / nb }')
  echo "run $rep  $line"
  extras+=("$(sed -n 's/.*extra_us_per_event=\(-\{0,1\}[0-9]*\).*/\1/p' <<<"$line")")
done
median=$(printf '%s\n' "${extras[@]}" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}')
summary="$(date -u +%Y-%m-%dT%H:%MZ) webhooks side by side (SQLite, Production, 16 writers each, $reps x ${seconds}s after ${warmup}s): B's extra service CPU per delivered event, run by run: ${extras[*]} us; median ${median} us"
echo "$summary"
echo "$summary" >> "$root/bench/out/webhooks-pair.txt"
