#!/usr/bin/env bash
# Runs every test of ServiceReach, PostGIS integration tests included, against a throwaway PostGIS
# (or the server named by SERVICEREACH_DB). This is the command CI runs (.ci/run).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is not on PATH; install it first (https://learn.microsoft.com/dotnet/core/install/linux-debian)." >&2; exit 1; }

started_here=0
if [ -z "${SERVICEREACH_DB:-}" ]; then started_here=1; fi
eval "$(scripts/postgis.sh ensure)"
cleanup() { if [ "$started_here" = 1 ]; then scripts/postgis.sh stop || true; fi; }
trap cleanup EXIT

# Chromium (browser tests) and GDAL (OGC client tests) when missing; without root those tests skip with a message.
scripts/install-test-tools.sh

log=$(mktemp)
set +e
dotnet test ServiceReach.sln -c Release --no-progress "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line that any CI reader understands.
total_failed=$(grep -E '^\s+failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
total_passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
total_skipped=$(grep -E '^\s+skipped: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
rm -f "$log"

# The analysts' notebooks, executed against a running service on the demo region (issue 9).
set +e
scripts/notebooks.sh
nb_status=$?
set -e
if [ "$nb_status" != 0 ]; then total_failed=$(( ${total_failed:-0} + 1 )); [ "$status" = 0 ] && status=$nb_status;
else total_passed=$(( ${total_passed:-0} + $(ls notebooks/*.ipynb | wc -l) )); fi

echo "Tests: ${total_passed:-0} passed, ${total_failed:-0} failed, ${total_skipped:-0} skipped"
exit "$status"
