#!/usr/bin/env bash
# lap-gpkg.sh [DIR]   (default: geodata)
#
# Copies the LAP model's three CSV files of DIR (lap-indicators.csv,
# lap-cycles.csv, lap-state-facts.csv) into DIR/lap.gpkg, one attribute
# table each (lap_indicators, lap_cycles, lap_state_facts), read by OGR
# (ogr2ogr) with every field as text, as cmr reads them. A fourth table,
# source_files, holds the SHA-256 and the row count of each file. cmr reads
# the GeoPackage with SQLite alone, which spares it loading GDAL (some 35 ms
# of every `cmr status`), but only while every hash and row count matches
# the CSV files beside it; otherwise it reads the CSV files.
#
# cmr's own CSV reader refuses a file whose rows do not match its lines (an
# unbalanced quote joins rows) or that holds a NUL byte (OGR ends the file
# there); ogr2ogr does not, so this script checks both first: one row per
# non-blank line after the header. The CSV files stay the source: run this
# after editing one (a test fails while the bundled lap.gpkg is stale).
#
# Requires (Debian 12): gdal-bin, coreutils, grep, awk.
set -euo pipefail
dir=${1:-"$(dirname "$0")/../geodata"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/lap.gpkg
echo "file,sha256,n_rows" >"$tmp/source_files.csv"
update=()
for name in lap-indicators lap-cycles lap-state-facts; do
  csv=$dir/$name.csv
  table=$(echo "$name" | tr - _)
  [ -f "$csv" ] || { echo "lap-gpkg.sh: $csv is missing" >&2; exit 1; }
  if [ "$(tr -d '\000' <"$csv" | wc -c)" != "$(wc -c <"$csv")" ]; then
    echo "lap-gpkg.sh: $csv holds a NUL byte" >&2; exit 1
  fi
  lines=$(grep -c -v '^[[:space:]]*$' "$csv" || true)
  ogr2ogr -f GPKG "${update[@]}" "$out" "$csv" -nln "$table" -lco FID=fid
  update=(-update)
  rows=$(ogrinfo -q -sql "SELECT COUNT(*) AS n FROM $table" "$out" |
    awk -F'= ' '/n \(Integer/ { print $2 }')
  if [ "$rows" != "$((lines - 1))" ]; then
    echo "lap-gpkg.sh: $csv: $((lines - 1)) lines after the header but OGR" \
      "reads $rows rows (an unbalanced quote, or a field over several lines)" >&2
    exit 1
  fi
  echo "$name.csv,$(sha256sum "$csv" | cut -d' ' -f1),$rows" >>"$tmp/source_files.csv"
done
ogr2ogr -f GPKG -update "$out" "$tmp/source_files.csv" -nln source_files \
  -lco FID=fid -oo AUTODETECT_TYPE=YES
mv "$out" "$dir/lap.gpkg"
echo "wrote $dir/lap.gpkg"
