#!/usr/bin/env bash
# bench/webhooks.sh - write throughput with one active webhook subscription against the same service without one, side by side.
#
# Usage: bench/webhooks.sh [-e ENGINE] [-r ROUNDS] [-d SECS] [-w WRITERS] [-W SECS] [-b DIR] [-h] [-- -Z SECS -q CORES]
#
#   -e ENGINE  sqlite (default) or postgres: each process gets a database of its own (partneraccounts_bench_webhooks_plain and
#              _subscribed, dropped and created again) on a throwaway server from scripts/pg-throwaway.sh, started and stopped
#              here (its CPU counts as the servers', not as foreign), or on the server BENCH_PG_CONNECTION names
#   -r ROUNDS  A B A B rounds (default 3)
#   -d SECS    length of each run in seconds (default 10)
#   -w WRITERS writers, one account each (default 16): wrk -t WRITERS -c WRITERS
#   -W SECS    warm-up of each process under the same load before the first round (default 15, as bench/run.sh and
#              bench/accounts.sh: the tiered compilation keeps a core busy for the first 10-20 s)
#   -b DIR     run the service from this Release build folder instead of building this checkout
#   after --, the quiet-machine options of ../shared/bench/compare.sh, with the same meaning:
#   -Z SECS    before each run, wait up to SECS for other processes to use less than -q cores (default 30; 0: do not wait)
#   -q CORES   the foreign CPU (cores used by processes other than these servers and wrk) counted as quiet (default 0.2);
#              every run reports the foreign CPU measured during it, so a disturbed pair shows in the output
#
# Starts two processes of the Release build, each exactly as production runs it: the Production environment, its own fresh
# database (SQLite file by default), a Data Protection key file, a random Auth:SigningKey and a real HS256 bearer token minted with it
# (bench/AccountsBench token). A local receiver (bench/receiver.c, built here: answers every delivery 200) listens on 127.0.0.1:
#   A  WRITERS accounts (created through the API) without webhooks;
#   B  WRITERS accounts, each with one enabled webhook subscribed to "*" (so every write of the run is delivered).
#      Webhooks:AllowPrivateTargets=true only because the receiver is on this machine (and plain http); nothing else
#      differs from A. Both write events (the outbox); only B delivers them.
# Then, A B A B for ROUNDS rounds, wrk sends PUT /v1/accounts/{id}/profiles/support to one process at a time, one writer per
# account (bench/put-support.lua: If-Match with the ETag of the writer's previous answer; only 2xx count); every such
# write emits profile.updated, which B's worker signs and delivers while the load runs. After each B run it records B's backlog (deliveries still pending when the load stopped; a
# worker that fell behind would make B look cheaper than it is) and waits until B has none, so B's deliveries never steal
# from A's runs. Prints each run, the medians, the ratio B/A and whether it is within 10%, B's delivery totals and the
# receiver's CPU per delivery (warm-up included).
# Summary lines are appended to bench/out/webhooks.txt.
# Needs: the .NET 10 SDK, wrk, curl, python3, a C compiler (cc), sqlite3 (postgres: PostgreSQL 15's binaries, psql).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/webhooks"
engine=sqlite rounds=3 seconds=10 writers=16 warmup=15 bin="" quiet_wait=30 max_foreign=0.2

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts ":e:r:d:w:W:b:h" opt; do
  case "$opt" in
    e) engine="$OPTARG" ;; r) rounds="$OPTARG" ;; d) seconds="$OPTARG" ;; w) writers="$OPTARG" ;; W) warmup="$OPTARG" ;; b) bin="$(cd "$OPTARG" && pwd)" ;; *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
OPTIND=1
while getopts ":Z:q:" opt; do
  case "$opt" in
    Z) quiet_wait="$OPTARG" ;; q) max_foreign="$OPTARG" ;; *) usage ;;
  esac
done

case "$engine" in sqlite|postgres) ;; *) echo "webhooks.sh: unknown engine '$engine' (sqlite, postgres)" >&2; exit 2 ;; esac

mkdir -p "$out"
rm -f "$out"/*.db* "$out"/*.key
pids=()
pg_dir=""
cleanup() {
  local p
  for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$pg_dir" ]; then "$root/scripts/pg-throwaway.sh" stop "$pg_dir/pg" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; fi
}
trap cleanup EXIT INT TERM

# The servers' databases: connection_of NAME -> the connection string; query NAME SQL -> one value (quoted identifiers
# read the same on both engines).
pg_server="" pg_postmaster=""
if [ "$engine" = postgres ]; then
  pg_server="${BENCH_PG_CONNECTION:-}"
  if [ -z "$pg_server" ]; then
    pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/webhooks-bench-pg.XXXXXX")"
    echo "# starting a throwaway PostgreSQL (scripts/pg-throwaway.sh)"
    pg_server="$("$root/scripts/pg-throwaway.sh" start "$pg_dir/pg")"
    pg_postmaster=$(head -n 1 "$pg_dir/pg/data/postmaster.pid")
  fi
  pg_server="$(sed -E 's/(^|;)[[:space:]]*Database[[:space:]]*=[^;]*//I' <<<"$pg_server")"; pg_server="${pg_server#;}"; pg_server="${pg_server%;}"
  pg_part() { tr ';' '\n' <<<"$pg_server" | sed -n "s/^[[:space:]]*$1[[:space:]]*=//Ip" | head -n 1; }
  pg_host=$(pg_part Host) pg_port=$(pg_part Port) pg_user=$(pg_part 'User\(name\| ID\)\{0,1\}') pg_password=$(pg_part Password)
  psql_bin=$(command -v psql || echo /usr/lib/postgresql/15/bin/psql)
  psql_on() { PGPASSWORD="$pg_password" PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -h "$pg_host" -p "${pg_port:-5432}" -U "$pg_user" -d "$1" -Atq -v ON_ERROR_STOP=1 -c "$2"; }
  for name in plain subscribed; do psql_on postgres "DROP DATABASE IF EXISTS partneraccounts_bench_webhooks_$name WITH (FORCE)" > /dev/null; done
fi
connection_of() {
  if [ "$engine" = postgres ]; then echo "$pg_server;Database=partneraccounts_bench_webhooks_$1"; else echo "Data Source=$out/$1.db"; fi
}
query() {
  if [ "$engine" = postgres ]; then psql_on "partneraccounts_bench_webhooks_$1" "$2"; else sqlite3 "file:$out/$1.db?mode=ro" "$2"; fi
}

echo "# building the service and the token helper (Release)"
: > "$out/build.log"
if [ -z "$bin" ]; then
  dotnet build "$root/src/Api" -c Release -nologo -v q >> "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
  bin="$root/src/Api/bin/Release/net10.0"
fi
dotnet build "$root/bench/AccountsBench" -c Release -nologo -v q >> "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }

signing_key="bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-signing-key"
email="bench-admin@bench.example"
token="$(dotnet "$root/bench/AccountsBench/bin/Release/net10.0/PartnerAccounts.Bench.Accounts.dll" token --key "$signing_key" --email "$email" --minutes 240)"
auth="Authorization: Bearer $token"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

receiver_port=$(free_port)
# The receiver (bench/receiver.c) stands in for a machine elsewhere, so it costs this one as little as possible: one thread,
# epoll, HTTP/1.1 keep-alive (the sender reuses its connections), every POST answered 200 and counted; GET /count the count.
cc -O2 -o "$out/receiver" "$root/bench/receiver.c" || { echo "webhooks.sh: could not build bench/receiver.c" >&2; exit 1; }
"$out/receiver" "$receiver_port" > "$out/receiver.log" 2>&1 &
pids+=($!)
receiver_pid=$!

server_pids=()
start() { # NAME -> sets $url
  local name=$1 port pid
  port=$(free_port)
  url="http://127.0.0.1:$port"
  head -c 32 /dev/urandom | base64 > "$out/$name.key"
  env ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning \
    Database__Provider="$([ "$engine" = postgres ] && echo Postgres || echo Sqlite)" ConnectionStrings__PartnerAccounts="$(connection_of "$name")" \
    DataProtection__KeyFile="$out/$name.key" Auth__SigningKey="$signing_key" Webhooks__AllowPrivateTargets=true \
    setsid dotnet "$bin/PartnerAccounts.Api.dll" --urls "$url" --contentRoot "$bin" > "$out/$name.log" 2>&1 < /dev/null &
  pid=$!
  pids+=("$pid"); server_pids+=("$pid")
  for _ in $(seq 1 600); do
    curl -s -o /dev/null -m 1 "$url/v1/programs" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "webhooks.sh: the service did not start; see $out/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "webhooks.sh: the service did not answer; see $out/$name.log" >&2; exit 1
}

# shellcheck source=bench/webhook-accounts.sh
source "$root/bench/webhook-accounts.sh"

start plain; url_a=$url pid_a=${server_pids[0]}
start subscribed; url_b=$url pid_b=${server_pids[1]}
seed_accounts "$url_a" "$out/plain.accounts" "$writers"
seed_accounts "$url_b" "$out/subscribed.accounts" "$writers" subscribe

# CPU ticks (user+system) used by every process except ours (servers, receiver, wrk) and the kernel idle: "foreign" CPU.
ticks_total() { awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
ticks_idle() { awk '/^cpu / {print $5+$6}' /proc/stat; }
ticks_ours() {
  local p sum=0 t
  for p in "${server_pids[@]}" "$receiver_pid"; do
    t=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0); sum=$((sum + t))
  done
  if [ -n "$pg_postmaster" ]; then # the throwaway server: its postmaster, the backends it reaped, and those still running
    t=$(awk '{print $14+$15+$16+$17}' "/proc/$pg_postmaster/stat" 2>/dev/null || echo 0); sum=$((sum + t))
    for p in $(ps -o pid= --ppid "$pg_postmaster" 2>/dev/null); do
      t=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0); sum=$((sum + t))
    done
  fi
  echo "$sum"
}
hz=$(getconf CLK_TCK)
foreign_since() { # T0 IDLE0 OURS0 SECS -> foreign cores
  awk -v t="$(ticks_total)" -v i="$(ticks_idle)" -v o="$(ticks_ours)" -v t0="$1" -v i0="$2" -v o0="$3" -v s="$4" -v hz="$hz" \
    'BEGIN { f = ((t - t0) - (i - i0) - (o - o0)) / hz / s; printf "%.2f", (f < 0) ? 0 : f }'
}
wait_quiet() {
  local waited=0 t0 i0 o0 f
  while [ "$waited" -lt "$quiet_wait" ]; do
    t0=$(ticks_total); i0=$(ticks_idle); o0=$(ticks_ours); sleep 1; waited=$((waited + 1))
    f=$(foreign_since "$t0" "$i0" "$o0" 1)
    awk -v f="$f" -v m="$max_foreign" 'BEGIN { exit !(f <= m) }' && return 0
  done
}

pending() {
  query subscribed "SELECT COUNT(*) FROM \"WebhookDeliveries\" WHERE \"Status\" = 'Pending'" 2>/dev/null || echo "?"
}
drain() {
  local p
  for _ in $(seq 1 1200); do p=$(pending); [ "$p" = "0" ] && return 0; sleep 0.25; done
  echo "webhooks.sh: deliveries still pending after 5 minutes" >&2; exit 1
}

# ticks of one process (user + system)
ticks_of() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
run() { # URL ACCOUNTS_FILE PID -> "acknowledged_per_s=.. p50_ms=.. p99_ms=.. n2xx=.. ... foreign_cores=.. service_cpu_ms_per_write=.."
  local t0 i0 o0 s0 wrk_pid wrk_ticks=0 t f n c
  wait_quiet
  t0=$(ticks_total); i0=$(ticks_idle); o0=$(ticks_ours); s0=$(ticks_of "$3")
  PUT_ACCOUNTS="$2" wrk -t "$writers" -c "$writers" -d "${seconds}s" --timeout 5s -H "$auth" -s "$root/bench/put-support.lua" "$1" > "$out/wrk.out" 2>&1 &
  wrk_pid=$!
  # wrk's own CPU is ours too: sampled while it runs (the last half second is missed, a slight over-count of foreign CPU).
  while kill -0 "$wrk_pid" 2>/dev/null; do
    t=$(awk '{print $14+$15}' "/proc/$wrk_pid/stat" 2>/dev/null || true); [ -n "$t" ] && wrk_ticks=$t
    sleep 0.5
  done
  wait "$wrk_pid"
  f=$(awk -v t="$(ticks_total)" -v i="$(ticks_idle)" -v o="$(ticks_ours)" -v w="$wrk_ticks" -v t0="$t0" -v i0="$i0" -v o0="$o0" -v s="$seconds" -v hz="$hz" \
    'BEGIN { f = ((t - t0) - (i - i0) - (o - o0) - w) / hz / s; printf "%.2f", (f < 0) ? 0 : f }')
  # the CPU the loaded service used per acknowledged write (its worker's deliveries during the run included)
  n=$(sed -n 's/^PUT_RESULT .*n2xx=\([0-9]*\).*/\1/p' "$out/wrk.out")
  c=$(awk -v t="$(ticks_of "$3")" -v t0="$s0" -v n="${n:-0}" -v hz="$hz" 'BEGIN { printf "%.3f", (n > 0) ? (t - t0) * 1000 / hz / n : 0 }')
  echo "$(sed -n 's/^PUT_RESULT //p' "$out/wrk.out") foreign_cores=$f service_cpu_ms_per_write=$c"
}
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "# warm-up (${warmup} s each)"
PUT_ACCOUNTS="$out/plain.accounts" wrk -t "$writers" -c "$writers" -d "${warmup}s" --timeout 5s -H "$auth" -s "$root/bench/put-support.lua" "$url_a" > /dev/null 2>&1
PUT_ACCOUNTS="$out/subscribed.accounts" wrk -t "$writers" -c "$writers" -d "${warmup}s" --timeout 5s -H "$auth" -s "$root/bench/put-support.lua" "$url_b" > /dev/null 2>&1
drain
a_runs="" b_runs="" a_foreign="" b_foreign="" max_backlog=0
for r in $(seq 1 "$rounds"); do
  a=$(run "$url_a" "$out/plain.accounts" "$pid_a"); a_runs+="$(field acknowledged_per_s "$a")"$'\n'
  echo "round $r  A without webhooks  $a"; a_foreign+="$(field foreign_cores "$a") "
  b=$(run "$url_b" "$out/subscribed.accounts" "$pid_b"); backlog=$(pending); b_runs+="$(field acknowledged_per_s "$b")"$'\n'
  echo "round $r  B one subscription per account  $b backlog_at_end=$backlog"; b_foreign+="$(field foreign_cores "$b") "
  [ "$backlog" -gt "$max_backlog" ] && max_backlog=$backlog
  drain
done

ma=$(printf '%s' "$a_runs" | median); mb=$(printf '%s' "$b_runs" | median)
audited=$(query plain "SELECT COUNT(*) FROM \"AuditRecords\" WHERE \"Resource\" = 'profiles/support'")
[ "$audited" -gt 0 ] || { echo "webhooks.sh: A recorded no profile change: the load wrote nothing" >&2; exit 1; }
delivered=$(query subscribed "SELECT COUNT(*) FROM \"WebhookDeliveries\" WHERE \"Status\" = 'Delivered'")
other=$(query subscribed "SELECT COUNT(*) FROM \"WebhookDeliveries\" WHERE \"Status\" <> 'Delivered'")
attempts=$(query subscribed "SELECT COALESCE(SUM(\"Attempts\"), 0) FROM \"WebhookDeliveries\"")
received=$(curl -sf "http://127.0.0.1:$receiver_port/count")
receiver_us=$(awk -v t="$(ticks_of "$receiver_pid")" -v n="$received" -v hz="$hz" 'BEGIN { printf "%.1f", (n > 0) ? t * 1000000 / hz / n : 0 }')
[ "$received" -ge "$delivered" ] || { echo "webhooks.sh: the receiver got $received deliveries, fewer than the $delivered marked delivered" >&2; exit 1; }
engine_name=$([ "$engine" = postgres ] && echo PostgreSQL || echo SQLite)
ratio=$(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.3f", (a > 0) ? b / a : 0 }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.9) ? "yes" : "NO" }')
line="$(date -u +%Y-%m-%dT%H:%MZ) webhooks write throughput (PUT support profile, $engine_name, Production, $writers writers on as many accounts, $rounds x ${seconds}s, A B A B): without ${ma}/s, with one subscription ${mb}/s, ratio ${ratio} (within 10%: $verdict); foreign CPU per run A: $(printf '%s ' $a_foreign)B: $(printf '%s ' $b_foreign); B deliveries delivered=$delivered other=$other attempts=$attempts received=$received max_backlog_at_end_of_run=$max_backlog receiver_cpu_us_per_delivery=$receiver_us"
echo "$line" | tee -a "$root/bench/out/webhooks.txt"
