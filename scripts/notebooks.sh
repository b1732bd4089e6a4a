#!/usr/bin/env bash
# Executes every notebook in notebooks/ against a ServiceReach service on the fictional demo region, and fails on any error.
#
#   scripts/notebooks.sh
#
# 1. Needs the Debian Python stack (python3-notebook python3-nbconvert python3-ipykernel python3-pandas python3-geopandas
#    python3-matplotlib python3-requests); installs it with apt when running as root, otherwise (or when apt cannot)
#    it skips with a message and exit code 0. PyPI is not used. The system interpreter /usr/bin/python3 runs everything,
#    so a pyenv/venv python earlier on PATH does not matter.
# 2. PostGIS: the server of SERVICEREACH_DB, or scripts/postgis.sh when it is not set. The notebooks get their own
#    scratch database on that server (<db>_notebooks, recreated, demo region loaded, dropped at the end), so the
#    scenario runs they store never mix with other data. NOTEBOOKS_DB=keep uses SERVICEREACH_DB itself instead (the demo
#    is loaded only when it holds no kernen).
# 3. Builds and starts the service (Release) on a free loopback port with a generated API key (hashed with
#    `ServiceReach.Api.dll hash-key`, passed in SERVICEREACH_API_KEYS), waits for /health/ready.
# 4. Runs `nbconvert --to notebook --execute` per notebook into out/notebooks/ (the copies in git stay output-free;
#    this script fails when a notebook in git carries outputs), stops the service and drops the scratch database.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
say() { echo "notebooks.sh: $*" >&2; }
PY=/usr/bin/python3
start_time=$(date +%s)

# --- 1. the Python stack from Debian -------------------------------------------------------------------------------
packages=(python3-notebook python3-nbconvert python3-ipykernel python3-pandas python3-geopandas python3-matplotlib python3-requests)
have_stack() { [ -x "$PY" ] && "$PY" -c 'import nbconvert, nbformat, ipykernel, pandas, geopandas, matplotlib, requests' 2>/dev/null; }
if ! have_stack; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${packages[*]} with apt…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1 \
      || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1; } || true
  fi
  if ! have_stack; then
    say "SKIPPED: the Debian packages ${packages[*]} are not installed and could not be installed (needs root and apt)."
    exit 0
  fi
fi
command -v dotnet >/dev/null || { say "the .NET 10 SDK (dotnet) is not on PATH."; exit 1; }

# The notebooks in git must be stored without outputs, so diffs stay readable.
"$PY" - <<'PY'
import glob, json, sys
bad = [p for p in sorted(glob.glob("notebooks/*.ipynb"))
       if any(c.get("outputs") or c.get("execution_count") for c in json.load(open(p, encoding="utf-8"))["cells"] if c["cell_type"] == "code")]
if bad:
    sys.exit("notebooks.sh: these notebooks carry outputs; clear them before committing: " + ", ".join(bad))
PY

# --- 2. PostGIS and the demo database -------------------------------------------------------------------------------
eval "$(scripts/postgis.sh ensure)"
# psql arguments from the Npgsql connection string: host port user database [password]
read -r pg_host pg_port pg_user pg_db pg_password < <("$PY" - <<'PY'
import os
cs = {k.strip().lower(): v for k, v in (p.split("=", 1) for p in os.environ["SERVICEREACH_DB"].split(";") if "=" in p)}
print(cs.get("host", "127.0.0.1"), cs.get("port", "5432"), cs.get("username", cs.get("user id", "postgres")),
      cs.get("database", "servicereach"), cs.get("password", "-"))
PY
)
[ "$pg_password" = "-" ] && pg_password=""
psql_on() { PGOPTIONS="-c client_min_messages=warning" PGPASSWORD="$pg_password" psql -X -q -tA -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$1" "${@:2}"; }

scratch=""
service_pid=""
cleanup() {
  local rc=$?
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  if [ -n "$scratch" ]; then
    psql_on postgres -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 || say "could not drop the scratch database $scratch"
  fi
  exit $rc
}
trap cleanup EXIT INT TERM

dotnet build src/ServiceReach.Cli -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build src/ServiceReach.Api -c Release --nologo -v quiet -clp:ErrorsOnly >/dev/null
cli=src/ServiceReach.Cli/bin/Release/net10.0/servicereach.dll
api=src/ServiceReach.Api/bin/Release/net10.0/ServiceReach.Api.dll

mkdir -p out/notebooks
if [ "${NOTEBOOKS_DB:-scratch}" = keep ]; then
  kernen=$(psql_on "$pg_db" -c "SELECT CASE WHEN to_regclass('public.kern') IS NULL THEN 0 ELSE (SELECT count(*) FROM kern) END")
  if [ "${kernen:-0}" = 0 ]; then
    say "the database holds no kernen; loading the fictional demo region…"
    dotnet "$cli" demo --data geodata/demo --out out/notebooks/demo >out/notebooks/demo.log 2>&1 || { cat out/notebooks/demo.log >&2; exit 1; }
  fi
else
  scratch="${pg_db}_notebooks"
  psql_on postgres -c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" -c "CREATE DATABASE \"$scratch\"" >/dev/null
  SERVICEREACH_DB=$("$PY" -c 'import os,sys; print(";".join(p if not p.strip().lower().startswith("database=") else "Database=" + sys.argv[1] for p in os.environ["SERVICEREACH_DB"].split(";")))' "$scratch")
  export SERVICEREACH_DB
  say "loading the fictional demo region into scratch database $scratch…"
  dotnet "$cli" demo --data geodata/demo --out out/notebooks/demo >out/notebooks/demo.log 2>&1 || { cat out/notebooks/demo.log >&2; exit 1; }
fi

# --- 3. the service on a free loopback port with a fresh API key ----------------------------------------------------
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
key=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
SERVICEREACH_API_KEYS=$(dotnet "$api" hash-key notebooks "$key")
export SERVICEREACH_API_KEYS
url="http://127.0.0.1:$port"
dotnet "$api" --urls "$url" --ServiceReach:StreetsOsm="$repo/geodata/demo/streets.osm" --ServiceReach:Gtfs="$repo/geodata/demo/gtfs" \
  --ServiceReach:ServiceDate=2026-03-03 --ServiceReach:CacheFolder="$repo/.cache" --ServiceReach:JsonLogs=false \
  --ServiceReach:RegionName="Demo region (fictional)" >out/notebooks/service.log 2>&1 &
service_pid=$!
ready=""
for _ in $(seq 1 240); do
  if ! kill -0 "$service_pid" 2>/dev/null; then say "the service exited; its log:"; cat out/notebooks/service.log >&2; exit 1; fi
  if "$PY" -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)' "$url/health/ready" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.5
done
[ -n "$ready" ] || { say "the service did not become ready in 120 s; its log:"; tail -50 out/notebooks/service.log >&2; exit 1; }
say "service ready at $url (log out/notebooks/service.log)"

# --- 4. execute the notebooks ---------------------------------------------------------------------------------------
export SERVICEREACH_URL="$url" SERVICEREACH_API_KEY="$key" PYDEVD_DISABLE_FILE_VALIDATION=1 MPLBACKEND=Agg
failed=()
for nb in notebooks/*.ipynb; do
  t0=$(date +%s)
  if "$PY" -Xfrozen_modules=off -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
       --output-dir out/notebooks "$nb" >"out/notebooks/$(basename "$nb" .ipynb).log" 2>&1; then
    say "ok      $nb ($(( $(date +%s) - t0 )) s) → out/notebooks/$(basename "$nb")"
  else
    say "FAILED  $nb; nbconvert said:"
    tail -40 "out/notebooks/$(basename "$nb" .ipynb).log" >&2
    failed+=("$nb")
  fi
done
say "$(ls notebooks/*.ipynb | wc -l) notebooks, ${#failed[@]} failed, $(( $(date +%s) - start_time )) s in all"
[ ${#failed[@]} -eq 0 ]
