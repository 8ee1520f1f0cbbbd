#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes the CLI tests' source files into OUTDIR: the GeoJSON of tests/data
# and tests/cli/data converted by ogr2ogr into every format the importer is
# tested with, plus the bad-input fixtures. Usage: make_fixtures.sh OUTDIR
set -euo pipefail

out=${1:?usage: make_fixtures.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
data=$here/data
tdata=$here/../data

rm -rf "$out"
mkdir -p "$out"
cd "$out"

# ogr2ogr, its messages shown only when it fails (the Shapefile driver warns
# of every field name it cuts).
ogr() {
    if ! ogr2ogr -q "$@" 2>ogr2ogr.log; then
        cat ogr2ogr.log >&2
        echo "make_fixtures.sh: ogr2ogr $* failed" >&2
        exit 1
    fi
    rm -f ogr2ogr.log
}

for kind in hazards releases; do
    src=$data/$kind.geojson
    # GeoJSON (WGS84 by definition) as given.
    cp "$src" "$kind.geojson"
    # GeoPackage.
    ogr -f GPKG "$kind.gpkg" "$src" -nln "$kind"
    # Shapefile in WGS84 (field names cut to 10 characters:
    # reported_area_m2 -> reported_a).
    mkdir -p shp
    ogr -f "ESRI Shapefile" "shp/$kind.shp" "$src" -nln "$kind"
    # Shapefile reprojected to UTM zone 48N.
    mkdir -p utm
    ogr -f "ESRI Shapefile" "utm/$kind.shp" "$src" -nln "$kind" \
        -t_srs EPSG:32648
    # File Geodatabase (one directory per kind).
    ogr -f OpenFileGDB "$kind.gdb" "$src" -nln "$kind" -nlt MULTIPOLYGON
    # KML.
    ogr -f KML "$kind.kml" "$src" -nln "$kind"
    # CSV with a WKT column (no CRS).
    ogr -f CSV "$kind.csv" "$src" -nln "$kind" -lco GEOMETRY=AS_WKT
    # XLSX: no geometry, a text column WKT (no CRS).
    ogr -f XLSX "$kind.xlsx" "$src" -nln "$kind" -nlt NONE \
        -dialect SQLite -sql "SELECT *, AsText(geometry) AS WKT FROM $kind"
done

# One GeoPackage with three layers; the first is neither hazards nor
# releases, so the default layer is wrong for both.
ogr -f GPKG multi.gpkg "$tdata/imsma_hazards.geojson" -nln notes
ogr -update -f GPKG multi.gpkg "$data/releases.geojson" -nln rel_layer
ogr -update -f GPKG multi.gpkg "$data/hazards.geojson" -nln haz_layer

# A Shapefile without .prj (in WGS84 degrees).
mkdir -p noprj
cp shp/hazards.shp shp/hazards.shx shp/hazards.dbf noprj/

# Truncated sources.
head -c 2048 hazards.gpkg >truncated.gpkg
head -c 700 hazards.geojson >truncated.geojson
# Shapefiles cut short: the .shp inside the third record, the .dbf inside
# the second.
mkdir -p truncshp truncdbf
cp shp/hazards.shx shp/hazards.dbf shp/hazards.prj truncshp/
head -c 400 shp/hazards.shp >truncshp/hazards.shp
cp shp/hazards.shp shp/hazards.shx shp/hazards.prj truncdbf/
head -c 900 shp/hazards.dbf >truncdbf/hazards.dbf

# A source with no features; one with no hazard 'recorded' column.
cp "$data/empty.geojson" empty.geojson
ogr -f GPKG empty.gpkg "$data/hazards.geojson" -nln hazards -where "0 = 1"
ogr -f GeoJSON norecorded.geojson "$data/hazards.geojson" -nln norecorded \
    -select id,country,class
# A file that is neither a vector source nor a store.
printf 'just some text\n' >notvector.txt
# A directory with nothing GDAL reads.
mkdir -p emptydir
# An unreadable file (the test skips it when run as root).
cp hazards.geojson unreadable.geojson
chmod 000 unreadable.geojson

# Per-feature problems.
cp "$tdata/hazards_bad.geojson" "$data/releases_bad.geojson" \
    "$data/hazards_nan.geojson" "$data/hazards_custom.geojson" \
    "$tdata/imsma_hazards.geojson" "$tdata/imsma_activities.geojson" .
cp "$data/hazards_wkt_bad.csv" .
