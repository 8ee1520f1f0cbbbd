#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmr import reads every vector format GDAL writes here: the same three
# hazards and three releases (tests/cli/data) as GeoPackage, Shapefile
# (WGS84, and reprojected to UTM 48N), File Geodatabase, GeoJSON, KML, XLSX
# and CSV with a WKT column. Each must import whole, give the same records
# (golden/hazard_records.txt, golden/release_records.txt) and land at the
# same place.
. "$(dirname "$0")/lib.sh"

HQ="SELECT id, country, class, contamination, recorded, closed, marked,
    reported_area_m2, synthetic, repair,
    import_run = (SELECT MAX(run) FROM import_run) FROM hazard ORDER BY id"
RQ="SELECT id, country, method, completed, hazard_id, reported_area_m2,
    submunitions, synthetic, repair,
    import_run = (SELECT MAX(run) FROM import_run) FROM release ORDER BY id"
HAZARD_BBOX="106.000000 15.000000 106.070000 15.030000"
RELEASE_BBOX="106.000000 15.000000 106.030000 15.010000"

# import_format NAME HAZARDS RELEASES [OPTION...]
import_format() {
    local name=$1 hz=$2 rl=$3
    shift 3
    local db=$WORK/$name.gpkg
    fresh_store "$db"
    local run
    run=$(next_run "$db")
    cmr 0 import "$db" --hazards "$hz" --releases "$rl" "$@"
    contains out "hazards: 3 read, 3 imported (0 replaced), 0 rejected, 0 repaired"
    contains out "releases: 3 read, 3 imported (0 replaced), 0 rejected, 0 repaired"
    contains out "import run $run recorded in $db"
    equals "$name: no reject on stderr" "" "$(grep 'rejected:' "$WORK/err" || true)"
    sql "$db" "$HQ" >"$WORK/$name.hazards.txt"
    same_text "$GOLDEN/hazard_records.txt" "$WORK/$name.hazards.txt"
    sql "$db" "$RQ" >"$WORK/$name.releases.txt"
    same_text "$GOLDEN/release_records.txt" "$WORK/$name.releases.txt"
    equals "$name: hazard extent" "$HAZARD_BBOX" "$(bbox "$db" hazard)"
    equals "$name: release extent" "$RELEASE_BBOX" "$(bbox "$db" release)"
    # The multipolygon HZ3 keeps both parts.
    equals "$name: parts of HZ3" 2 \
        "$(ogrinfo -q "$db" -sql "SELECT ST_NumGeometries(geom) AS n \
FROM hazard WHERE id = 'HZ3'" | sed -n 's/^ *n (Integer) = //p')"
    # The run records the source as given and the layer read.
    equals "$name: run rows" "hazards|$hz|3|3
releases|$rl|3|3" "$(sql "$db" "SELECT kind, file, n_read, n_imported \
FROM import_run WHERE $RECORD_RUNS ORDER BY kind")"
}

import_format gpkg "$FIX/hazards.gpkg" "$FIX/releases.gpkg"
equals "gpkg: layer recorded" "hazards" \
    "$(sql "$WORK/gpkg.gpkg" "SELECT layer FROM import_run WHERE kind = 'hazards'")"

# Shapefile: field names cut to ten characters; the importer finds them.
ogrinfo -so "$FIX/shp/hazards.shp" hazards >"$WORK/shp-fields.txt"
contains "$WORK/shp-fields.txt" "reported_a:"
contains "$WORK/shp-fields.txt" "contaminat:"
not_contains "$WORK/shp-fields.txt" "reported_area_m2"
import_format shp "$FIX/shp/hazards.shp" "$FIX/shp/releases.shp"

# The same Shapefiles in EPSG:32648 (metres): reprojected to lon/lat.
ogrinfo -so "$FIX/utm/hazards.shp" hazards >"$WORK/utm-info.txt"
contains "$WORK/utm-info.txt" "UTM zone 48N"
import_format utm "$FIX/utm/hazards.shp" "$FIX/utm/releases.shp"

import_format gdb "$FIX/hazards.gdb" "$FIX/releases.gdb"
import_format geojson "$FIX/hazards.geojson" "$FIX/releases.geojson"
import_format kml "$FIX/hazards.kml" "$FIX/releases.kml"

# XLSX and CSV declare no CRS: --assume-crs. The XLSX has no geometry
# column at all, only a text column WKT.
ogrinfo -so "$FIX/hazards.xlsx" hazards >"$WORK/xlsx-info.txt"
contains "$WORK/xlsx-info.txt" "WKT: String"
contains "$WORK/xlsx-info.txt" "Geometry: None"
import_format xlsx "$FIX/hazards.xlsx" "$FIX/releases.xlsx" \
    --assume-crs EPSG:4326
import_format csv "$FIX/hazards.csv" "$FIX/releases.csv" \
    --assume-crs EPSG:4326

# A CRS given to a source that declares its own is not applied to it.
import_format utm-assumed "$FIX/utm/hazards.shp" "$FIX/utm/releases.shp" \
    --assume-crs EPSG:4326

# A source in metres read as if it were in degrees: every feature is out
# of range (the .prj is missing, and the wrong CRS is assumed).
mkdir -p "$WORK/utm-noprj"
for ext in shp shx dbf; do
    cp "$FIX/utm/hazards.$ext" "$WORK/utm-noprj/"
done
fresh_store "$WORK/wrongcrs.gpkg"
cmr 0 import "$WORK/wrongcrs.gpkg" --hazards "$WORK/utm-noprj/hazards.shp" \
    --assume-crs EPSG:4326
contains out "hazards: 3 read, 0 imported (0 replaced), 3 rejected"
contains err "field geometry: coordinates out of range"
# ...and with the right CRS assumed, it lands where it should.
fresh_store "$WORK/rightcrs.gpkg"
cmr 0 import "$WORK/rightcrs.gpkg" --hazards "$WORK/utm-noprj/hazards.shp" \
    --assume-crs EPSG:32648
contains out "hazards: 3 read, 3 imported (0 replaced), 0 rejected"
equals "assumed UTM: hazard extent" "$HAZARD_BBOX" \
    "$(bbox "$WORK/rightcrs.gpkg" hazard)"

# An XLSX sheet whose cells are all text (dates and ids typed as text, as
# many exports are): its first row is still the header, not data that
# GDAL would name Field1, Field2...
cat >"$WORK/alltext.csv" <<'CSV'
id,country,class,recorded,WKT
T1,SOM,SHA,2015-01-01,"POLYGON((42.00 1.00,42.01 1.00,42.01 1.01,42.00 1.01,42.00 1.00))"
CSV
ogr2ogr -f XLSX "$WORK/alltext.xlsx" "$WORK/alltext.csv" -nln Hazards
fresh_store "$WORK/alltext.gpkg"
cmr 0 import "$WORK/alltext.gpkg" --hazards "$WORK/alltext.xlsx" --assume-crs EPSG:4326
contains out "hazards: 1 read, 1 imported"

# A workbook in Excel's 1904 date system (an option of Excel, once the
# Mac's default): its date cells count days from 1904-01-01, and GDAL
# reads them as counted from 1900, four years and a day early. The same
# dates, written as 1900 serials and as 1904 ones, import the same.
cat >"$WORK/dates.csv" <<'CSV'
id,country,class,recorded,closed,status,WKT
D1,SOM,SHA,2011-03-01,,open,"POLYGON((42.00 1.00,42.01 1.00,42.01 1.01,42.00 1.01,42.00 1.00))"
D2,SOM,CHA,2024-01-05,2025-12-31,closed,"POLYGON((42.02 1.00,42.03 1.00,42.03 1.01,42.02 1.01,42.02 1.00))"
CSV
echo '"String","String","String","Date","Date","String","String"' >"$WORK/dates.csvt"
ogr2ogr -f XLSX "$WORK/dates1900.xlsx" "$WORK/dates.csv" -nln Hazards ||
    fail "ogr2ogr dates1900.xlsx"
python3 - "$WORK/dates1900.xlsx" "$WORK/dates1904.xlsx" <<'PY' || fail "making dates1904.xlsx"
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename).decode("utf-8")
        if item.filename == "xl/workbook.xml":
            data = re.sub(r"(<workbook\b[^>]*>)", r'\1<workbookPr date1904="1"/>', data, count=1)
        elif item.filename.startswith("xl/worksheets/"):
            # the date cells (style 1 in GDAL's workbooks) count from 1904
            data = re.sub(r'(<c r="[A-Z]+\d+" s="1">\s*<v>)(\d+)(</v>)',
                          lambda m: m.group(1) + str(int(m.group(2)) - 1462) + m.group(3), data)
        zout.writestr(item, data)
PY
unzip -p "$WORK/dates1904.xlsx" xl/workbook.xml >"$WORK/dates1904-workbook.xml"
contains "$WORK/dates1904-workbook.xml" 'date1904="1"'
# (GDAL alone reads the 1904 workbook's dates early)
ogrinfo -q "$WORK/dates1904.xlsx" Hazards >"$WORK/dates1904-gdal.txt"
contains "$WORK/dates1904-gdal.txt" "recorded (Date) = 2020/01/04"
for sys in 1900 1904; do
    fresh_store "$WORK/dates$sys.gpkg"
    cmr 0 import "$WORK/dates$sys.gpkg" --hazards "$WORK/dates$sys.xlsx" \
        --assume-crs EPSG:4326
    contains out "hazards: 2 read, 2 imported"
    equals "dates in the $sys date system" \
        "D1|2011-03-01||D2|2024-01-05|2025-12-31" \
        "$(sql "$WORK/dates$sys.gpkg" "SELECT group_concat(id || '|' || recorded || '|' || coalesce(closed, ''), '|') FROM (SELECT * FROM hazard ORDER BY id)")"
done

# A numeric id in a real field: GDAL reads it "1001" from GeoJSON, and
# "1001.000000000000000" from the shapefile it exports to (its .dbf keeps
# the field's precision). One id all the same: the shapefile's record
# replaces the GeoJSON's (a review found two hazards, one over the other).
cat >"$WORK/realid.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":1001.0,"country":"SOM","class":"SHA","recorded":"2017-01-01"},"geometry":{"type":"Polygon","coordinates":[[[42,-0.5],[42.01,-0.5],[42.01,-0.49],[42,-0.49],[42,-0.5]]]}}
]}
EOF
ogr2ogr -f "ESRI Shapefile" "$WORK/realid.shp" "$WORK/realid.geojson" ||
    fail "ogr2ogr realid.shp"
fresh_store "$WORK/realid.gpkg"
cmr 0 import "$WORK/realid.gpkg" --hazards "$WORK/realid.geojson"
cmr 0 import "$WORK/realid.gpkg" --hazards "$WORK/realid.shp"
contains out "hazards: 1 read, 1 imported (1 replaced)"
equals "one id" "1001" "$(sql "$WORK/realid.gpkg" "SELECT id FROM hazard")"

# Two long names that begin with the same ten letters: the shapefile keeps
# submunitio for the first and makes submunit_1 of the second, so the
# preset's submunitio cannot tell which holds what was destroyed (a review
# found 50 found read as destroyed, without a word); --map picks.
cat >"$WORK/twins.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"activity_localid":"A1","activitytype":"Clearance","enddate":"2018-10-01","submunitionsfound":50,"submunitionsdestroyed":31,"country":"SOM"},"geometry":{"type":"Polygon","coordinates":[[[42,-0.5],[42.01,-0.5],[42.01,-0.49],[42,-0.49],[42,-0.5]]]}}
]}
EOF
ogr2ogr -f "ESRI Shapefile" "$WORK/twins.shp" "$WORK/twins.geojson" 2>/dev/null ||
    fail "ogr2ogr twins.shp"
fresh_store "$WORK/twins.gpkg"
cp "$WORK/twins.gpkg" "$WORK/twins-before.gpkg"
cmr 1 import "$WORK/twins.gpkg" --releases "$WORK/twins.shp" --preset imsma-ng
contains err "field 'submunitions': column 'submunitio' may be what the shapefile kept of a longer name, and 'submunit_1' what it made of another"
same_bytes "$WORK/twins.gpkg" "$WORK/twins-before.gpkg"
cmr 0 import "$WORK/twins.gpkg" --releases "$WORK/twins.shp" --preset imsma-ng \
    --map releases.submunitions=submunit_1
equals "destroyed, not found" "A1|31" \
    "$(sql "$WORK/twins.gpkg" "SELECT id, submunitions FROM release")"

finish
