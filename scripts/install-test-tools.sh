#!/usr/bin/env bash
# Installs the system tools the tests drive, when missing: Debian's Chromium (Playwright browser tests),
# gdal-bin (ogrinfo/ogr2ogr as OGC API Features clients), osmium-tool and osm2pgrouting (independent oracles). Needs root and apt-get; otherwise it only says what is missing,
# and those tests skip with a message. Safe to run repeatedly (does nothing when both are present).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
# Independent oracles the routing, import and demo tests compare against (they skip with a message when absent).
command -v osmium >/dev/null 2>&1 || missing+=(osmium-tool)
command -v osm2pgrouting >/dev/null 2>&1 || missing+=(osm2pgrouting)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools.sh: missing ${missing[*]} and not root with apt-get; the browser/GDAL tests will skip. Install: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "install-test-tools.sh: installing ${missing[*]} with apt…" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null 2>&1; then
  apt-get -qq update >/dev/null 2>&1 || true
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null \
    || { echo "install-test-tools.sh: apt-get could not install ${missing[*]}; those tests will skip." >&2; exit 0; }
fi
