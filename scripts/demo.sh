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
synth="$out/cmr-synthetic.gpkg"
rm -f "$db" "$synth"
echo "== synthetic hazards and releases (calibrated to published figures)"
"$cmr" synth --seed 1 -o "$synth"
echo "== the store: boundaries, deadlines, national figures, polygons"
"$cmr" init "$db"
"$cmr" import "$db" --hazards "$synth" --hazards-layer hazards \
  --releases "$synth" --releases-layer releases \
  --deadlines geodata/deadlines.csv --figures geodata/national-figures.csv
for plan in geodata/plans/*.json; do
  "$cmr" import "$db" --plan "$plan" >/dev/null
done
echo
echo "== status"
"$cmr" status "$db"
echo
echo "== forecast (Monte Carlo, 10000 runs, seed 1)"
"$cmr" forecast "$db"
echo
echo "== evaluation of Somalia's extension request"
"$cmr" evaluate "$db" --country SOM
echo
echo "== findings"
"$cmr" check "$db" --format csv | awk -F, 'NR > 1 { n[$1]++ } END { for (k in n) printf "%-24s %d\n", k, n[k] }' | sort
echo
echo "== maps, charts and the report"
"$cmr" map "$db" --country all -o "$out/map-all.png"
"$cmr" map "$db" --country LAO -o "$out/map-LAO.png"
"$cmr" chart "$db" --country LAO --kind burndown -o "$out/chart-LAO-burndown.png"
"$cmr" chart "$db" --country LAO --kind release -o "$out/chart-LAO-release.png"
"$cmr" report "$db" -o "$out/report" >/dev/null
echo
echo "store: $db"
echo "report: $(cd "$out/report" && pwd)/index.html"
