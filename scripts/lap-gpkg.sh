#!/usr/bin/env bash
# lap-gpkg.sh [DIR]   (default: geodata)
#
# Copies the LAP model's three CSV files of DIR (lap-indicators.csv,
# lap-cycles.csv, lap-state-facts.csv) into DIR/lap.gpkg, one attribute
# table each, read by OGR (ogr2ogr) exactly as cmr reads the CSV files:
# every field as text. A fourth table, source_files, holds the SHA-256 of
# each CSV file. cmr reads the GeoPackage with SQLite alone, which spares it
# loading GDAL (some 35 ms of every `cmr status`), but only while the three
# hashes match the CSV files beside it; otherwise it reads the CSV files.
# The CSV files stay the source: run this after editing one (a test fails
# while lap.gpkg is stale).
#
# Requires (Debian 12): gdal-bin, coreutils.
set -euo pipefail
dir=${1:-"$(dirname "$0")/../geodata"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/lap.gpkg
echo "file,sha256" >"$tmp/source_files.csv"
for name in lap-indicators lap-cycles lap-state-facts; do
  csv=$dir/$name.csv
  [ -f "$csv" ] || { echo "lap-gpkg.sh: $csv is missing" >&2; exit 1; }
  # table names: lap_indicators, lap_cycles, lap_state_facts
  ogr2ogr -f GPKG ${first_done:+-update} "$out" "$csv" \
    -nln "$(echo "$name" | tr - _)" -lco FID=fid
  first_done=1
  echo "$name.csv,$(sha256sum "$csv" | cut -d' ' -f1)" >>"$tmp/source_files.csv"
done
ogr2ogr -f GPKG -update "$out" "$tmp/source_files.csv" -nln source_files \
  -lco FID=fid
mv "$out" "$dir/lap.gpkg"
echo "wrote $dir/lap.gpkg"
