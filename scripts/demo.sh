#!/usr/bin/env bash
# The README's main command: installs what is missing (Debian 12), builds in
# Release and runs the main job on the bundled data, writing into out/ (or
# the directory given as the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-out}
source scripts/deps.sh
deps_install build

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build "$root/build-release" -j "$jobs" >/dev/null
cmr="$root/build-release/src/cmr"

mkdir -p "$out"
db="$out/cmr-demo.gpkg"
rm -f "$db"
"$cmr" init "$db"
"$cmr" import "$db" --hazards geodata/sample/hazards.geojson \
  --releases geodata/sample/releases.geojson
echo
"$cmr" status "$db"
echo
echo "store: $db"
