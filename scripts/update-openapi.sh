#!/usr/bin/env bash
# Regenerates openapi/v1.json from the code with the Swashbuckle CLI, and the C# client the tests use from it with
# NSwag (both local tools pinned in dotnet-tools.json). The OpenApiDocumentTests fail until the committed document
# matches what the service serves, and the GeneratedClientTests until the committed client matches the document.
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

# The C# client, generated the way a .NET team would (no hand edits). The first line records the document it was made
# from; GeneratedClientTests compare that hash with openapi/v1.json.
client=tests/PartnerAccounts.Tests/Clients/V1/PartnerAccountsClient.g.cs
mkdir -p "$(dirname "$client")"
dotnet tool run nswag openapi2csclient /input:openapi/v1.json /output:"$tmp/client.cs" \
  /namespace:PartnerAccounts.Tests.Clients.V1 /className:PartnerAccountsClient \
  /jsonLibrary:SystemTextJson /generateNullableReferenceTypes:true /generateOptionalPropertiesAsNullable:true \
  /operationGenerationMode:SingleClientFromOperationId /wrapResponses:true /generateResponseClasses:true \
  /useBaseUrl:false /injectHttpClient:true /disposeHttpClient:false /generateClientInterfaces:false \
  /generateDataAnnotations:false /exceptionClass:PartnerAccountsApiException \
  /arrayType:System.Collections.Generic.IReadOnlyList /arrayInstanceType:System.Collections.Generic.List >/dev/null
hash=$(tr -d '\r' < openapi/v1.json | sha256sum | cut -d' ' -f1)
{ echo "// openapi/v1.json sha256 $hash (scripts/update-openapi.sh; do not edit)"; tr -d '\r' < "$tmp/client.cs"; } > "$client"
echo "$client updated"
