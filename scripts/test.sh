#!/usr/bin/env bash
# Runs every test: the whole .NET suite on SQLite, then every HTTP test again on PostgreSQL, then the published output
# as the container image runs it (scripts/published-smoke.sh).
# PostgreSQL: TEST_PG_CONNECTION when set; else a throwaway server started here from the machine's PostgreSQL 15
# binaries (scripts/pg-throwaway.sh); else Testcontainers; else those tests are skipped with the reason
# (and fail instead when REQUIRE_DB=1). Each run prints "Tests run against: <server>".
# Ends with one line: "N passed, M failed, K skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0 failed=0 skipped=0 status=0
work=$(mktemp -d)
pg_dir="$work/pg"
cleanup() { scripts/pg-throwaway.sh stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# dotnet test with the console logger at normal verbosity ends with "Total tests: T" and "Passed: P" / "Failed: F" /
# "Skipped: S" lines.
count() {
  local log=$1 n
  if ! grep -qE '^Total tests: [0-9]+' "$log"; then
    echo "no test summary found in $log" >&2
    failed=$((failed + 1))
    return
  fi
  n=$(grep -E '^ +Passed: [0-9]+$' "$log" | tail -n 1 | grep -oE '[0-9]+'); passed=$((passed + ${n:-0}))
  n=$(grep -E '^ +Failed: [0-9]+$' "$log" | tail -n 1 | grep -oE '[0-9]+'); failed=$((failed + ${n:-0}))
  n=$(grep -E '^ +Skipped: [0-9]+$' "$log" | tail -n 1 | grep -oE '[0-9]+'); skipped=$((skipped + ${n:-0}))
}

run_dotnet() {
  local name=$1; shift
  echo "== $name"
  # One line per passed test is noise; failures, skips with their reasons and "Tests run against: ..." stay visible.
  "$@" --logger "console;verbosity=normal" 2>&1 | tee "$work/$name.log" | grep -vE '^ +Passed [A-Za-z_]'
  [ "${PIPESTATUS[0]}" -ne 0 ] && status=1
  count "$work/$name.log"
}

echo "== build"
if ! dotnet build PartnerAccounts.sln -c Debug -nologo -v q; then
  echo "0 passed, 1 failed"
  exit 1
fi
# The OpenAPI document as clients see it (clients/): Spectral lint, the TypeScript client generated and type-checked,
# and node --test walking the main flows through it against the built API (plus Swagger UI in headless Chromium).
# node --test ends with "# pass N", "# fail N" and "# skipped N"; a failed lint/generate/tsc step counts as one failure.
echo "== clients (lint, TypeScript client, node --test)"
if ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are required for the client tests" >&2
  failed=$((failed + 1)) status=1
elif ! { { [ -f clients/node_modules/.package-lock.json ] && [ clients/node_modules/.package-lock.json -nt clients/package-lock.json ]; } ||
  (cd clients && npm ci --no-audit --no-fund); } ||
  ! (cd clients && npm run --silent lint && npm run --silent generate && npm run --silent typecheck); then
  echo "the OpenAPI lint or the TypeScript client failed" >&2
  failed=$((failed + 1)) status=1
else
  (cd clients && npm test --silent) 2>&1 | tee "$work/node.log" | grep -vE '^ *(---|\.\.\.|duration_ms:|type:)'
  [ "${PIPESTATUS[0]}" -ne 0 ] && status=1
  if grep -qE '^# pass [0-9]+' "$work/node.log"; then
    passed=$((passed + $(grep -E '^# pass [0-9]+' "$work/node.log" | tail -n 1 | grep -oE '[0-9]+')))
    failed=$((failed + $(grep -E '^# fail [0-9]+' "$work/node.log" | tail -n 1 | grep -oE '[0-9]+')))
    skipped=$((skipped + $(grep -E '^# skipped [0-9]+' "$work/node.log" | tail -n 1 | grep -oE '[0-9]+')))
  else
    echo "no node --test summary found" >&2
    failed=$((failed + 1)) status=1
  fi
fi

run_dotnet sqlite env TEST_DB=Sqlite dotnet test PartnerAccounts.sln --no-build -nologo

if [ -z "${TEST_PG_CONNECTION:-}" ] && { [ -x /usr/lib/postgresql/15/bin/initdb ] || [ "$(id -u)" = 0 ]; }; then
  if TEST_PG_CONNECTION=$(scripts/pg-throwaway.sh start "$pg_dir"); then
    export TEST_PG_CONNECTION
  else
    echo "could not start a throwaway PostgreSQL; the PostgreSQL run falls back to Testcontainers" >&2
  fi
fi
run_dotnet postgres env TEST_DB=Postgres dotnet test PartnerAccounts.sln --no-build -nologo --filter "FullyQualifiedName~PartnerAccounts.Tests.Http"

# The published output run the way the container image runs it (scripts/published-smoke.sh): one check.
echo "== published output as the container runs it"
if scripts/published-smoke.sh; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)) status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -gt 0 ] && status=1
exit $status
