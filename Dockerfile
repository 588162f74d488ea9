# PartnerAccounts API image: docker build -t partneraccounts-api .
# Multi-stage on the official .NET images; runs as the images' non-root user "app"; SQLite data and the Data Protection
# key ring (it lives in the database) on the volume /data; HEALTHCHECK on /health/ready. scripts/published-smoke.sh runs
# the published output exactly like this image does (entrypoint, user, environment, read-only /app) in CI.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Domain/Domain.csproj src/Domain/
COPY src/Application/Application.csproj src/Application/
COPY src/Infrastructure/Infrastructure.csproj src/Infrastructure/
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Api/Api.csproj
COPY src/ src/
RUN dotnet publish src/Api/Api.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the HEALTHCHECK below
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data && chown "$APP_UID" /data
COPY --from=build /app /app
WORKDIR /app
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    Database__Provider=Sqlite \
    ConnectionStrings__PartnerAccounts="Data Source=/data/partneraccounts.db" \
    DataProtection__KeyFile=/run/secrets/partneraccounts-dp.key
VOLUME /data
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "PartnerAccounts.Api.dll"]
