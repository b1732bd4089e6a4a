#!/usr/bin/env bash
# The main job on the bundled (fictional) demo region: start PostGIS, migrate, import geodata/demo,
# run the analysis, write GeoJSON layers to out/demo and print a summary.
# Extra arguments go to `servicereach demo` (e.g. --out other/folder, --serve).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
command -v dotnet >/dev/null || { echo "demo.sh: the .NET 10 SDK (dotnet) is not on PATH; install it first." >&2; exit 1; }
eval "$(scripts/postgis.sh ensure)"
dotnet build src/ServiceReach.Cli -c Release --nologo -v quiet -clp:ErrorsOnly
exec dotnet src/ServiceReach.Cli/bin/Release/net10.0/servicereach.dll demo --data geodata/demo --out out/demo "$@"
