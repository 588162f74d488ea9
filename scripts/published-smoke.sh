#!/usr/bin/env bash
# Runs the PUBLISHED service the way the container image (Dockerfile) runs it, since no image can be built here:
# `dotnet publish` into an app folder made read-only, the image's entrypoint `dotnet PartnerAccounts.Api.dll` started in
# that folder with the image's environment (Production, ASPNETCORE_HTTP_PORTS, SQLite on the data volume), as a non-root
# user (runuser when this runs as root), then the image's HEALTHCHECK: /health/ready must answer 200 within 60 s.
# Prints one line "published-smoke: PASS ..." or "published-smoke: FAIL ..."; exits 0 or 1.
set -uo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT INT TERM
fail() { echo "published-smoke: FAIL $*"; [ -f "$work/out.log" ] && tail -n 20 "$work/out.log" >&2; exit 1; }

dotnet publish src/Api/Api.csproj -c Release -o "$work/app" -p:UseAppHost=false -nologo -v q >"$work/publish.log" 2>&1 ||
  { cat "$work/publish.log" >&2; fail "dotnet publish failed"; }
mkdir -p "$work/data" "$work/home"
chmod 755 "$work"
chmod -R a-w "$work/app"   # the image's /app is not written to

run_as=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$work/data" "$work/home"
  run_as=(runuser -u nobody --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# The Dockerfile's ENV, with the volume /data at $work/data; the signing key and the Data Protection key file (a mounted
# secret in the image) are what an operator supplies at run time.
mkdir -p "$work/secrets"
head -c 32 /dev/urandom | base64 > "$work/secrets/partneraccounts-dp.key"
if [ "$(id -u)" = 0 ]; then chown -R nobody "$work/secrets"; fi
(cd "$work/app" && exec env -i PATH="$PATH" HOME="$work/home" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_HTTP_PORTS="$port" ASPNETCORE_URLS= \
  Database__Provider=Sqlite ConnectionStrings__PartnerAccounts="Data Source=$work/data/partneraccounts.db" \
  Auth__SigningKey="published-smoke-signing-key-0123456789abcdef" DataProtection__KeyFile="$work/secrets/partneraccounts-dp.key" \
  "${run_as[@]}" "$(command -v dotnet)" PartnerAccounts.Api.dll) >"$work/out.log" 2>&1 &
pid=$!

start=$(date +%s)
while :; do
  status=$(curl -s -o "$work/ready.json" -w '%{http_code}' "http://127.0.0.1:$port/health/ready" 2>/dev/null)
  [ "$status" = 200 ] && break
  kill -0 "$pid" 2>/dev/null || fail "the service exited before it was ready"
  [ $(( $(date +%s) - start )) -ge 60 ] && fail "/health/ready did not answer 200 within 60 s (last: $status)"
  sleep 0.5
done
[ -f "$work/data/partneraccounts.db" ] || fail "the SQLite database is not on the data volume"
echo "published-smoke: PASS /health/ready 200 after $(( $(date +%s) - start )) s as $([ ${#run_as[@]} -gt 0 ] && echo nobody || id -un): $(cat "$work/ready.json")"
