#!/usr/bin/env bash
# Regenerates openapi/v1.json from the code with the Swashbuckle CLI (a local tool pinned in dotnet-tools.json).
# The OpenApiDocumentTests fail until the committed document matches what the service serves. The clients are not
# committed: the C# one is generated from the document when the test project builds, the TypeScript one when the
# client tests run (docs/adr/0011-generated-code.md).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dotnet tool restore >/dev/null
dotnet build src/Api -c Debug -v q -nologo >/dev/null
# The CLI starts the app's host: point it at a throwaway database (and Data Protection key file) so nothing is written to ./data,
# with a throwaway signing key (Production refuses to start without a way to authenticate, and a host that stops before
# mapping its endpoints gives a document without paths).
head -c 32 /dev/urandom | base64 > "$tmp/dataprotection.key"
ASPNETCORE_ENVIRONMENT=Production Database__Provider=Sqlite ConnectionStrings__PartnerAccounts="Data Source=$tmp/openapi.db" \
  DataProtection__KeyFile="$tmp/dataprotection.key" Auth__SigningKey="$(head -c 48 /dev/urandom | base64)" \
  Logging__LogLevel__Default=Warning \
  dotnet tool run swagger tofile --output openapi/v1.json src/Api/bin/Debug/net10.0/PartnerAccounts.Api.dll v1 >/dev/null
if ! grep -q '"/v1/accounts"' openapi/v1.json; then
  echo "the generated openapi/v1.json has no paths: the host did not start (run it in Production to see why)" >&2
  exit 1
fi
echo "openapi/v1.json updated"

