#!/usr/bin/env bash
# bench/webhooks.sh - write throughput with one active webhook subscription against the same service without one.
#
# Usage: bench/webhooks.sh [-r ROUNDS] [-d DURATION] [-c CONNS] [-h]
#
# Starts two instances of the Release build (Production environment, a real HS256 bearer token, each on its own fresh
# SQLite file) and a local receiver that answers every delivery 200:
#   A  an account with no webhook;
#   B  an account with one enabled webhook subscribed to "*" (Webhooks:AllowPrivateTargets=true, only because the receiver
#      is on this machine; nothing else is changed).
# Then, A B A B for ROUNDS rounds, wrk sends PUT /v1/accounts/{id}/profiles/support (If-Match: *) to one instance at a
# time; every such write emits profile.updated, which B's worker delivers while the load runs. Between runs it waits
# until B has no delivery pending, so B's deliveries are measured in B's runs and never steal from A's. Prints each run,
# the medians, the ratio B/A and whether it is within 10%, and the number of deliveries B made (all must be delivered).
# Needs: the .NET 10 SDK, wrk, curl, python3, openssl.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/webhooks"
rounds=3 duration=10s conns=16
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts ":r:d:c:h" opt; do
  case "$opt" in
    r) rounds="$OPTARG" ;; d) duration="$OPTARG" ;; c) conns="$OPTARG" ;; *) usage ;;
  esac
done

mkdir -p "$out"
rm -f "$out"/*.db*
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

echo "# building the service (Release)"
dotnet build "$root/src/Api" -c Release -nologo -v q > "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
bin="$root/src/Api/bin/Release/net10.0"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
key="bench-signing-key-$(openssl rand -hex 24)"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
token() {
  local now exp header payload signature
  now=$(date +%s); exp=$((now + 3600))
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"partneraccounts","aud":"partneraccounts-api","email":"%s","sub":"%s","iat":%d,"nbf":%d,"exp":%d}' "$1" "$1" "$now" "$now" "$exp" | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$key" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$signature"
}

receiver_port=$(free_port)
python3 - "$receiver_port" > "$out/receiver.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
pids+=($!)

start() { # name -> prints url
  local name=$1 port; port=$(free_port)
  env ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 Logging__LogLevel__Default=Warning \
    Database__Provider=Sqlite ConnectionStrings__PartnerAccounts="Data Source=$out/$name.db" \
    Auth__SigningKey="$key" Webhooks__AllowPrivateTargets=true \
    setsid dotnet "$bin/PartnerAccounts.Api.dll" --urls "http://127.0.0.1:$port" --contentRoot "$bin" > "$out/$name.log" 2>&1 < /dev/null &
  pids+=($!)
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/v1/roles" -H "Authorization: Bearer $(token probe@bench.example)" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "http://127.0.0.1:$port"
}

account() { # url email -> account id
  curl -fs -X POST "$1/v1/accounts" -H "Authorization: Bearer $(token "$2")" -H 'Content-Type: application/json' -d '{
    "legalName": "Bench Ltd", "address": {"addressLine1": "1 Main St", "city": "Seattle", "state": "WA", "postalCode": "98101", "country": "US"},
    "primaryContact": {"firstName": "Pat", "lastName": "Lee", "email": "pat@bench.example", "phoneNumber": "+1 206 555 0100"}}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

url_a=$(start plain); url_b=$(start subscribed)
email=admin@bench.example
auth="Authorization: Bearer $(token $email)"
id_a=$(account "$url_a" $email); id_b=$(account "$url_b" $email)
webhook=$(curl -fs -X POST "$url_b/v1/accounts/$id_b/webhooks" -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"url\": \"http://127.0.0.1:$receiver_port/hook\", \"events\": [\"*\"], \"enabled\": true}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

cat > "$out/put.lua" <<LUA
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer $(token $email)"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["If-Match"] = "*"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, '{"email": "support' .. n .. '@bench.example", "phoneNumber": "+1 206 555 0100"}')
end
LUA

pending() { # deliveries of B not yet finished (first page of the log is enough: newest first)
  curl -fs "$url_b/v1/accounts/$id_b/webhooks/$webhook/deliveries?limit=200" -H "$auth" |
    python3 -c 'import json,sys; print(sum(1 for d in json.load(sys.stdin)["items"] if d["status"] == "pending"))'
}
drain() { for _ in $(seq 1 600); do [ "$(pending)" = "0" ] && return; sleep 0.5; done; echo "deliveries still pending" >&2; }

run() { # url id -> rps
  wrk -t1 -c"$conns" -d"$duration" -s "$out/put.lua" "$1/v1/accounts/$2/profiles/support" | awk '/Requests\/sec/ {print $2}'
}

echo "# warm-up"
wrk -t1 -c"$conns" -d5s -s "$out/put.lua" "$url_a/v1/accounts/$id_a/profiles/support" > /dev/null
wrk -t1 -c"$conns" -d5s -s "$out/put.lua" "$url_b/v1/accounts/$id_b/profiles/support" > /dev/null
drain
a_runs=() b_runs=()
for r in $(seq 1 "$rounds"); do
  a=$(run "$url_a" "$id_a"); a_runs+=("$a"); echo "round $r  without webhook  rps=$a"
  b=$(run "$url_b" "$id_b"); drain; b_runs+=("$b"); echo "round $r  with one webhook rps=$b"
done

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
ma=$(median "${a_runs[@]}"); mb=$(median "${b_runs[@]}")
delivered=$(sqlite3 "$out/subscribed.db" "SELECT COUNT(*) FROM WebhookDeliveries WHERE Status = 'Delivered'" 2>/dev/null || echo "?")
failed=$(sqlite3 "$out/subscribed.db" "SELECT COUNT(*) FROM WebhookDeliveries WHERE Status <> 'Delivered'" 2>/dev/null || echo "?")
ratio=$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", b / a}')
verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.9) ? "within 10%: yes" : "within 10%: NO"}')
line="webhooks write throughput (PUT support profile, SQLite, c=$conns, $rounds x $duration): without $ma rps, with one subscription $mb rps, ratio $ratio ($verdict); deliveries delivered=$delivered other=$failed"
echo "$line" | tee -a "$out/results.txt"
