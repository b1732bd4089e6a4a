#!/usr/bin/env bash
# Runs the ServiceReach web service and map on http://127.0.0.1:5080 (override with SERVICEREACH_URL).
# Starts the throwaway PostGIS when SERVICEREACH_DB is not set, loads the fictional demo region when the database holds
# no kernen yet (`servicereach demo`), then serves. Extra arguments go to the service (e.g. --ServiceReach:StreetsOsm=…).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
command -v dotnet >/dev/null || { echo "serve.sh: the .NET 10 SDK (dotnet) is not on PATH; install it first." >&2; exit 1; }
eval "$(scripts/postgis.sh ensure)"

kernen=$(python3 - <<'PY' 2>/dev/null || echo 0
import os, re, subprocess
cs = dict(p.split('=', 1) for p in os.environ['SERVICEREACH_DB'].split(';') if '=' in p)
cs = {k.lower(): v for k, v in cs.items()}
env = dict(os.environ, PGPASSWORD=cs.get('password', ''))
out = subprocess.run(['psql', '-X', '-tA', '-h', cs.get('host', '127.0.0.1'), '-p', cs.get('port', '5432'), '-U', cs.get('username', 'postgres'),
                      '-d', cs.get('database', 'servicereach'), '-c', "SELECT CASE WHEN to_regclass('public.kern') IS NULL THEN 0 ELSE (SELECT count(*) FROM kern) END"],
                     capture_output=True, text=True, env=env, check=True)
print(out.stdout.strip() or 0)
PY
)
if [ "${kernen:-0}" = "0" ]; then
  echo "serve.sh: the database holds no kernen; loading the fictional demo region (scripts/demo.sh)…" >&2
  scripts/demo.sh
fi

dotnet build src/ServiceReach.Api -c Release --nologo -v quiet -clp:ErrorsOnly
url=${SERVICEREACH_URL:-http://127.0.0.1:5080}
echo "serve.sh: map on $url/ · API reference $url/scalar · OGC API Features $url/ogc" >&2
exec dotnet src/ServiceReach.Api/bin/Release/net10.0/ServiceReach.Api.dll --urls "$url" "$@"
