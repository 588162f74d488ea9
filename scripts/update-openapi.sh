#!/usr/bin/env bash
# Regenerates openapi/v1.json from the code with the Swashbuckle CLI (the local tool pinned in dotnet-tools.json).
# The OpenApiDocumentTests fail until the committed document matches what the service serves.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dotnet tool restore >/dev/null
dotnet build src/Api -c Debug -v q -nologo >/dev/null
# The CLI starts the app's host: point it at a throwaway database so nothing is written to ./data.
ASPNETCORE_ENVIRONMENT=Production Database__Provider=Sqlite ConnectionStrings__PartnerAccounts="Data Source=$tmp/openapi.db" \
  Logging__LogLevel__Default=Warning \
  dotnet tool run swagger tofile --output openapi/v1.json src/Api/bin/Debug/net10.0/PartnerAccounts.Api.dll v1 >/dev/null
echo "openapi/v1.json updated"
