#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Problems with a whole source, or with the store, fail the call: exit 1,
# a message naming the file, and the store byte for byte as it was.
. "$(dirname "$0")/lib.sh"

DB=$WORK/store.gpkg
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$FIX/hazards.geojson"
cp "$DB" "$WORK/before.gpkg"

# fails_whole TEXT IMPORT_ARGS...: exit 1, stderr names the problem (TEXT),
# the store is unchanged, nothing is reported as imported.
fails_whole() {
    local text=$1
    shift
    cmr 1 import "$DB" "$@"
    contains err "$text"
    not_contains out "import run"
    same_bytes "$DB" "$WORK/before.gpkg"
}

fails_whole "$FIX/nosuch.geojson: No such file or directory" \
    --hazards "$FIX/nosuch.geojson"
# The releases source fails although the hazards source is fine.
fails_whole "$FIX/nosuch.shp" \
    --hazards "$FIX/hazards.geojson" --releases "$FIX/nosuch.shp"
fails_whole "$FIX/emptydir: is a directory" --hazards "$FIX/emptydir"
fails_whole "$FIX/notvector.txt: not a vector source" \
    --hazards "$FIX/notvector.txt"
fails_whole "$FIX/truncated.gpkg: not a vector source" \
    --hazards "$FIX/truncated.gpkg"
fails_whole "$FIX/truncated.geojson: not a vector source" \
    --hazards "$FIX/truncated.geojson"
fails_whole "$FIX/truncdbf/hazards.shp: reading layer 'hazards'" \
    --hazards "$FIX/truncdbf/hazards.shp"
# (A truncated .shp: see test_known_bugs.sh.)

# Unreadable: as root, read permission does not stop us, so drop to nobody.
if [ "$(id -u)" -ne 0 ]; then
    fails_whole "$FIX/unreadable.geojson: Permission denied" \
        --hazards "$FIX/unreadable.geojson"
elif command -v setpriv >/dev/null; then
    chmod 0755 "$WORK"
    chmod 0644 "$DB"
    run 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$CMR" import "$DB" --hazards "$FIX/unreadable.geojson"
    contains err "$FIX/unreadable.geojson: Permission denied"
    same_bytes "$DB" "$WORK/before.gpkg"
else
    skip "unreadable file: running as root without setpriv"
fi

# No features: a GeoPackage layer and a GeoJSON FeatureCollection.
fails_whole "$FIX/empty.gpkg: layer 'hazards' has no features" \
    --hazards "$FIX/empty.gpkg"
# (An empty GeoJSON has no columns either; which one is reported first is
# test_known_bugs.sh's business.)
fails_whole "$FIX/empty.geojson" --hazards "$FIX/empty.geojson"

fails_whole "$FIX/multi.gpkg: no layer named 'nosuch' (layers: notes, rel_layer, haz_layer)" \
    --hazards "$FIX/multi.gpkg" --hazards-layer nosuch
fails_whole "--releases: $FIX/multi.gpkg: no layer named 'haz'" \
    --hazards "$FIX/hazards.gpkg" --releases "$FIX/multi.gpkg" \
    --releases-layer haz

# No CRS where the format implies none.
for src in hazards.csv hazards.xlsx noprj/hazards.shp; do
    fails_whole "$FIX/$src: layer 'hazards' declares no coordinate reference system" \
        --hazards "$FIX/$src"
done
# UTF-16 text (Excel's "Unicode text"): said so, with what to do.
printf 'id,country,class,recorded,WKT\r\nU-1,LAO,SHA,2015-01-01,"POLYGON((105.5 15.5,105.6 15.5,105.6 15.6,105.5 15.5))"\r\n' |
    iconv -f UTF-8 -t UTF-16 >"$WORK/utf16.csv"
fails_whole "$WORK/utf16.csv: is UTF-16 text (its byte order mark says so), which GDAL does not read: save it as UTF-8" \
    --hazards "$WORK/utf16.csv" --assume-crs EPSG:4326
# Two columns of one name (case aside) for a field: which holds it cannot be
# told, so the source fails whole, naming them (GDAL reads both; the first
# used to win silently: SHA where the second said CHA). --map with the
# column's exact case picks one.
printf '%s\n' 'id,country,class,recorded,class,WKT' \
    'D-1,LAO,SHA,2015-01-01,CHA,"POLYGON((105.5 15.5,105.6 15.5,105.6 15.6,105.5 15.5))"' \
    >"$WORK/dupclass.csv"
fails_whole "$WORK/dupclass.csv: layer 'dupclass': field 'class': more than one column is named class (case aside)" \
    --hazards "$WORK/dupclass.csv" --assume-crs EPSG:4326
printf '%s\n' 'ID,id,country,class,recorded,WKT' \
    'X-1,Y-1,LAO,SHA,2015-01-01,"POLYGON((105.5 15.5,105.6 15.5,105.6 15.6,105.5 15.5))"' \
    >"$WORK/dupid.csv"
fails_whole "field 'id': more than one column is named id (case aside), so which one holds it cannot be told; rename one, or name the column in its exact case with --map id=COLUMN (columns: ID, id, country" \
    --hazards "$WORK/dupid.csv" --assume-crs EPSG:4326
fresh_store "$WORK/dup.gpkg"
cmr 0 import "$WORK/dup.gpkg" --hazards "$WORK/dupid.csv" --assume-crs EPSG:4326 --map id=ID
equals "--map id=ID takes ID" "X-1" "$(sql "$WORK/dup.gpkg" "SELECT id FROM hazard")"
cmr 0 import "$WORK/dup.gpkg" --hazards "$WORK/dupid.csv" --assume-crs EPSG:4326 --map id=id
equals "--map id=id takes id" "X-1
Y-1" "$(sql "$WORK/dup.gpkg" "SELECT id FROM hazard ORDER BY id")"
# A CRS GDAL does not understand is a usage error, found before any source
# is read, whether or not the source declares a CRS of its own.
for src in hazards.csv hazards.geojson; do
    for crs in EPSG:nonsense bogus '' EPSG:5703 '+proj=geocent +datum=WGS84'; do
        cmr 2 import "$DB" --hazards "$FIX/$src" --assume-crs "$crs"
        contains err "--assume-crs '$crs' is"
        not_contains out "import run"
        same_bytes "$DB" "$WORK/before.gpkg"
    done
done
# (GDAL's reason in brackets: it read "is PROJ: proj_create...")
cmr 2 import "$DB" --hazards "$FIX/hazards.csv" --assume-crs EPSG:999999
contains err "--assume-crs 'EPSG:999999' is not a CRS GDAL understands ("
# A CRS PROJ does not know: GDAL would read the layer as WGS84 (and these
# coordinates would pass for longitudes and latitudes).
printf '%s\n' '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:999999"}},"features":[{"type":"Feature","properties":{"id":"U1","country":"LAO","class":"SHA","recorded":"2012-01-01"},"geometry":{"type":"Polygon","coordinates":[[[106,15],[106.01,15],[106.01,15.01],[106,15]]]}}]}' \
    >"$WORK/unknowncrs.geojson"
fails_whole "$WORK/unknowncrs.geojson: layer 'unknowncrs' declares a coordinate reference system PROJ does not know" \
    --hazards "$WORK/unknowncrs.geojson"
cp "$DB" "$WORK/assumed.gpkg"
cmr 0 import "$WORK/assumed.gpkg" --hazards "$WORK/unknowncrs.geojson" \
    --assume-crs EPSG:4326
contains out "hazards: 1 read, 1 imported (0 replaced), 0 rejected"

fails_whole "$FIX/norecorded.geojson: layer 'norecorded': required field 'recorded' is missing" \
    --hazards "$FIX/norecorded.geojson"
# Release records given as hazards: no class.
fails_whole "$FIX/releases.geojson: layer 'releases': required field 'class' is missing" \
    --hazards "$FIX/releases.geojson"
# A CSV whose WKT column has another name, and no mapping.
printf 'id,country,class,recorded,outline\nX,LAO,CHA,2012-05-01,"POLYGON ((106 15,106.01 15,106.01 15.01,106 15.01,106 15))"\n' \
    >"$WORK/nowkt.csv"
fails_whole "$WORK/nowkt.csv: layer 'nowkt' has no geometry column and no WKT column" \
    --hazards "$WORK/nowkt.csv" --assume-crs EPSG:4326
# ...which --map geometry=COLUMN names.
cp "$DB" "$WORK/mapped.gpkg"
cmr 0 import "$WORK/mapped.gpkg" --hazards "$WORK/nowkt.csv" \
    --assume-crs EPSG:4326 --map geometry=outline
contains out "hazards: 1 read, 1 imported (0 replaced), 0 rejected"

# ---- the store ----
# Another schema version.
cp "$DB" "$WORK/v99.gpkg"
sqlite3 "$WORK/v99.gpkg" \
    "UPDATE cmr_meta SET value = '99' WHERE key = 'schema_version'"
cp "$WORK/v99.gpkg" "$WORK/v99-before.gpkg"
cmr 1 import "$WORK/v99.gpkg" --hazards "$FIX/hazards.geojson"
contains err "$WORK/v99.gpkg: store has schema version 99"
same_bytes "$WORK/v99.gpkg" "$WORK/v99-before.gpkg"
# A version edited by hand into something that only starts with a number
# (read as 6 before: atoi).
cp "$DB" "$WORK/v6x.gpkg"
sqlite3 "$WORK/v6x.gpkg" \
    "UPDATE cmr_meta SET value = '6x' WHERE key = 'schema_version'"
cp "$WORK/v6x.gpkg" "$WORK/v6x-before.gpkg"
cmr 1 status "$WORK/v6x.gpkg"
contains err "$WORK/v6x.gpkg: cmr_meta: schema_version '6x' is not a version number"
cmr 1 import "$WORK/v6x.gpkg" --hazards "$FIX/hazards.geojson"
contains err "schema_version '6x' is not a version number"
same_bytes "$WORK/v6x.gpkg" "$WORK/v6x-before.gpkg"
# A GeoPackage that is not a cmr store.
cp "$FIX/hazards.gpkg" "$WORK/plain.gpkg"
cmr 1 import "$WORK/plain.gpkg" --hazards "$FIX/hazards.geojson"
contains err "$WORK/plain.gpkg: not a cmr store"
same_bytes "$WORK/plain.gpkg" "$FIX/hazards.gpkg"
# A file that is not a GeoPackage at all.
cp "$FIX/notvector.txt" "$WORK/text.gpkg"
cmr 1 import "$WORK/text.gpkg" --hazards "$FIX/hazards.geojson"
contains err "$WORK/text.gpkg: not a cmr store"
same_bytes "$WORK/text.gpkg" "$FIX/notvector.txt"
# A store that does not exist is not created.
cmr 1 import "$WORK/nostore.gpkg" --hazards "$FIX/hazards.geojson"
contains err "$WORK/nostore.gpkg"
[ ! -e "$WORK/nostore.gpkg" ] || fail "import created $WORK/nostore.gpkg"
pass
# A directory as the store.
cmr 1 import "$WORK" --hazards "$FIX/hazards.geojson"
contains err "$WORK: is a directory"

# A store the user cannot write: said so, and left as it was. (root can
# write any file, so as root the call runs as nobody.)
cp "$WORK/before.gpkg" "$WORK/ro.gpkg"
chmod 444 "$WORK/ro.gpkg"
chmod 755 "$WORK"
as_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  run 1 "${as_user[@]}" "$CMR" import "$WORK/ro.gpkg" --hazards "$FIX/hazards.geojson"
  contains err "$WORK/ro.gpkg: the store cannot be written (Permission denied)"
  same_bytes "$WORK/ro.gpkg" "$WORK/before.gpkg"
else
  skip "root without setpriv: a read-only store cannot be tested"
fi

# Two imports into one store at the same time: the second waits for the
# first, and both land.
rm -f "$WORK/syn.gpkg"
cmr 0 synth --country LBN --seed 7 --scale 20 -o "$WORK/syn.gpkg"
fresh_store "$WORK/two.gpkg"
"$CMR" import "$WORK/two.gpkg" --hazards "$WORK/syn.gpkg" \
    --hazards-layer hazards >"$WORK/out1" 2>"$WORK/err1" &
first=$!
cmr 0 import "$WORK/two.gpkg" --releases "$WORK/syn.gpkg" \
    --releases-layer releases
wait "$first" || fail "the first of two concurrent imports failed: $(cat "$WORK/err1")"
pass
equals "hazards of both runs" \
    "$(sql "$WORK/syn.gpkg" "SELECT COUNT(*) FROM hazards")" \
    "$(sql "$WORK/two.gpkg" "SELECT COUNT(*) FROM hazard")"
equals "releases of both runs" \
    "$(sql "$WORK/syn.gpkg" "SELECT COUNT(*) FROM releases")" \
    "$(sql "$WORK/two.gpkg" "SELECT COUNT(*) FROM release")"
equals "integrity" "ok" "$(sql "$WORK/two.gpkg" "PRAGMA integrity_check")"

# A store another program holds locked (here the sqlite3 shell, in an
# exclusive transaction): said so, and left as it was.
cp "$WORK/before.gpkg" "$WORK/locked.gpkg"
sqlite3 -cmd "BEGIN EXCLUSIVE;" "$WORK/locked.gpkg" ".shell sleep 8" &
holder=$!
sleep 1
cmr 1 import "$WORK/locked.gpkg" --hazards "$FIX/hazards.geojson"
contains err "$WORK/locked.gpkg: the store is locked by another program"
wait "$holder"
same_bytes "$WORK/locked.gpkg" "$WORK/before.gpkg"
# A reader waits up to 5 s for such a lock (as GDAL's open did), then
# reads.
sqlite3 -cmd "BEGIN EXCLUSIVE;" "$WORK/locked.gpkg" ".shell sleep 2" &
holder=$!
sleep 0.5
cmr 0 status "$WORK/locked.gpkg" --format csv
wait "$holder"

# Another program in a write transaction (QGIS in an edit session; here
# the sqlite3 shell, which has changed a row but not committed): an import
# waits for it, then writes (a review: it failed in 0.2 s with "database
# is locked", since a transaction that has read first cannot wait).
cp "$WORK/before.gpkg" "$WORK/editing.gpkg"
(
    echo "BEGIN; UPDATE cmr_meta SET value = value;"
    sleep 3
    echo "ROLLBACK;"
) | sqlite3 "$WORK/editing.gpkg" &
holder=$!
sleep 0.5
cmr 0 import "$WORK/editing.gpkg" --hazards "$FIX/hazards.geojson"
contains out "hazards: 3 read, 3 imported"
wait "$holder"
equals "integrity" "ok" "$(sql "$WORK/editing.gpkg" "PRAGMA integrity_check")"

# A pipe is not a source (GDAL would wait on it for ever).
rm -f "$WORK/fifo"
mkfifo "$WORK/fifo"
fails_whole "$WORK/fifo: not a file or a directory" --hazards "$WORK/fifo"
rm -f "$WORK/fifo"

# ---- damage GDAL reads past without a word: the call fails, naming it ----
HZ=$CMR_SRC/tests/cli/data/hazards.geojson
# A shapefile whose .dbf holds fewer records than its .shx indexes shapes.
rm -rf "$WORK/shp3" "$WORK/shp1"
ogr2ogr -f "ESRI Shapefile" "$WORK/shp3" "$HZ" -nln haz
ogr2ogr -f "ESRI Shapefile" "$WORK/shp1" "$HZ" -nln haz -limit 1
cp "$WORK/shp1/haz.dbf" "$WORK/shp3/haz.dbf"
cp "$DB" "$WORK/before.gpkg"
fails_whole "its .dbf holds 1 records but its .shx indexes 3 shapes" \
    --hazards "$WORK/shp3/haz.shp"
# A record marked deleted in the .dbf (an edited, unpacked shapefile) is
# not damage: the other records are imported.
rm -rf "$WORK/shpdel"
ogr2ogr -f "ESRI Shapefile" "$WORK/shpdel" "$HZ" -nln haz
python3 - "$WORK/shpdel/haz.dbf" <<'PY'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    head = f.read(12)
    hlen, rlen = struct.unpack("<HH", head[8:12])
    f.seek(hlen + rlen)  # the second record
    f.write(b"*")
PY
cmr 0 import "$DB" --hazards "$WORK/shpdel/haz.shp"
contains out "hazards: 2 read, 2 imported"
cp "$DB" "$WORK/before.gpkg"
# A CSV with a NUL byte (GDAL would end the layer there).
printf 'id,country,class,recorded,geom\nZ1,LAO,CHA,2015-01-01,"POLYGON((103 18,103.01 18,103.01 18.01,103 18))"\n\000Z2,LAO,CHA,2015-01-01,"POLYGON((104 18,104.01 18,104.01 18.01,104 18))"\n' >"$WORK/nul.csv"
fails_whole "$WORK/nul.csv: a NUL byte at offset" \
    --hazards "$WORK/nul.csv" --assume-crs EPSG:4326
# A CSV with an unbalanced quote (GDAL would join the rows after it into one
# field, or drop them); a line break inside a quoted field is fine.
cat >"$WORK/quote.csv" <<'CSV'
id,country,class,recorded,note,geom
Q1,LAO,CHA,2015-01-01,ok,"POLYGON((103 18,103.01 18,103.01 18.01,103 18))"
Q2,LAO,CHA,2015-01-01,"oops,"POLYGON((104 18,104.01 18,104.01 18.01,104 18))"
Q3,LAO,CHA,2015-01-01,ok,"POLYGON((105 18,105.01 18,105.01 18.01,105 18))"
Q4,LAO,CHA,2015-01-01,ok,"POLYGON((106 18,106.01 18,106.01 18.01,106 18))"
CSV
fails_whole "layer 'quote': an odd number of double quotes (9): an unbalanced quote joins rows" \
    --hazards "$WORK/quote.csv" --assume-crs EPSG:4326
# ... also where the rows it joins are the last, and the line count
# balances (the joined row's field holds the line break)
cat >"$WORK/quote2.csv" <<'CSV'
id,country,class,recorded,geom
Q1,LAO,CHA,2015-01-01,"POLYGON((103 18,103.01 18,103.01 18.01,103 18))"
Q2,LAO,CHA,2015-01-01,"POLYGON((104 18,104.01 18,104.01 18.01,104 18))
Q3,LAO,CHA,2015-01-01,"POLYGON((105 18,105.01 18,105.01 18.01,105 18))"
CSV
fails_whole "layer 'quote2': an odd number of double quotes (5)" \
    --hazards "$WORK/quote2.csv" --assume-crs EPSG:4326
# A GeoPackage whose CRS is undefined (srs_id 0, as ogr2ogr writes data
# without a CRS; or -1): no CRS, so --assume-crs names it.
cat >"$WORK/utm.csv" <<'CSV'
id,country,class,recorded,WKT
U1,SOM,SHA,2015-01-01,"POLYGON((166072 110683,167186 110682,167187 111789,166073 111790,166072 110683))"
CSV
ogr2ogr -f GPKG "$WORK/undef.gpkg" "$WORK/utm.csv" -oo GEOM_POSSIBLE_NAMES=WKT \
    -oo KEEP_GEOM_COLUMNS=NO -nln hazards
equals "srs_id" 0 "$(sqlite3 "$WORK/undef.gpkg" "SELECT srs_id FROM gpkg_geometry_columns")"
fails_whole "layer 'hazards' declares no coordinate reference system (its CRS is undefined); name one with --assume-crs" \
    --hazards "$WORK/undef.gpkg"
sqlite3 "$WORK/undef.gpkg" "UPDATE gpkg_geometry_columns SET srs_id = -1; UPDATE gpkg_contents SET srs_id = -1"
fails_whole "(its CRS is undefined)" --hazards "$WORK/undef.gpkg"
cmr 0 import "$DB" --hazards "$WORK/undef.gpkg" --assume-crs EPSG:32638
contains out "hazards: 1 read, 1 imported"
cp "$DB" "$WORK/before.gpkg"
# a quote inside a quoted field is doubled: even, and read
cat >"$WORK/quote3.csv" <<'CSV'
id,country,class,recorded,note,geom
Q5,LAO,CHA,2015-01-01,"a 5"" shell","POLYGON((107 18,107.01 18,107.01 18.01,107 18))"
CSV
cmr 0 import "$DB" --hazards "$WORK/quote3.csv" --assume-crs EPSG:4326
contains out "hazards: 1 read, 1 imported"
cp "$DB" "$WORK/before.gpkg"
cat >"$WORK/multiline.csv" <<'CSV'
id,country,class,recorded,note,geom
L1,LAO,CHA,2015-01-01,"two
lines","POLYGON((103 18,103.01 18,103.01 18.01,103 18))"

L2,LAO,CHA,2015-01-01,plain,"POLYGON((104 18,104.01 18,104.01 18.01,104 18))"
CSV
cmr 0 import "$DB" --hazards "$WORK/multiline.csv" --assume-crs EPSG:4326
contains out "hazards: 2 read, 2 imported"
cp "$DB" "$WORK/before.gpkg"
# An XLSX whose sheet is cut short (GDAL fails while loading it, before
# the first feature).
rm -f "$WORK/haz.xlsx" "$WORK/cut.xlsx"
ogr2ogr -f XLSX "$WORK/haz.xlsx" "$HZ" -nln haz
python3 - "$WORK/haz.xlsx" "$WORK/cut.xlsx" <<'PY'
import sys, zipfile
src, dst = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], "w")
for item in src.infolist():
    data = src.read(item.filename)
    if item.filename.endswith("sheet1.xml"):
        data = data[: len(data) // 2]
    dst.writestr(item, data)
dst.close()
PY
fails_whole "$WORK/cut.xlsx: reading layer 'haz': XML parsing" \
    --hazards "$WORK/cut.xlsx" --assume-crs EPSG:4326

# ---- boundaries that would leave a store without provinces fail the call;
# cmr init then leaves no store behind, and prints its rejects ----
BND=$CMR_SRC/geodata/boundaries.gpkg
NOADM=$WORK/bnd-no-admin1.gpkg
rm -f "$NOADM"
ogr2ogr -f GPKG "$NOADM" "$BND" admin1 -where "1 = 0" -nln admin1
ogr2ogr -f GPKG -update "$NOADM" "$BND" country neighbour
rm -f "$WORK/new.gpkg"
cmr 1 init "$WORK/new.gpkg" --boundaries "$NOADM"
contains err "layer 'admin1' gives no usable feature; importing it would leave the store without provinces"
[ ! -e "$WORK/new.gpkg" ] || fail "a failed init left $WORK/new.gpkg"
[ -z "$(ls -A "$WORK" | grep '\.init-')" ] || fail "a failed init left its temporary file"
pass
# The same boundaries imported into a store: it keeps its provinces.
cp "$DB" "$WORK/before.gpkg"
fails_whole "layer 'admin1' gives no usable feature" --boundaries "$NOADM"
# A second outline of one State is a reject, printed by init as by import.
DUP=$WORK/bnd-dup.gpkg
rm -f "$DUP"
cp "$BND" "$DUP"
ogr2ogr -f GPKG -update -append "$DUP" "$BND" country -nln country -where "iso3 = 'LAO'"
rm -f "$WORK/new.gpkg"
cmr 0 init "$WORK/new.gpkg" --boundaries "$DUP"
contains err "cmr: init: rejected: $DUP: layer 'country'"
contains err "field iso3: a second outline for 'LAO'"
equals "one outline of LAO" 1 "$(sql "$WORK/new.gpkg" "SELECT COUNT(*) FROM country_outline WHERE iso3 = 'LAO'")"

# A program stopped while writing the store (Ctrl-C in an import's write)
# leaves a hot -journal file: reading commands say so and name the way
# out; an import rolls it back (SQLite's own recovery) and goes on.
cp "$DB" "$WORK/hot.gpkg"
python3 - "$WORK/hot.gpkg" <<'PY'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA cache_size = 1")
c.execute("BEGIN")
c.execute("CREATE TABLE junk(x)")
c.executemany("INSERT INTO junk VALUES (?)", [(os.urandom(500),) for i in range(2000)])
os._exit(0)  # no commit, no rollback: the journal stays
PY
[ -s "$WORK/hot.gpkg-journal" ] || fail "no hot journal was made"
cmr 1 status "$WORK/hot.gpkg"
contains err "a program stopped while writing the store (its -journal file is still there); open it once with write access, which rolls the unfinished change back (cmr import does"
cmr 0 import "$WORK/hot.gpkg" --hazards "$WORK/quote3.csv" --assume-crs EPSG:4326
contains out "hazards: 1 read, 1 imported"
equals "the unfinished table" 0 "$(sqlite3 "$WORK/hot.gpkg" "SELECT count(*) FROM sqlite_master WHERE name = 'junk'")"
cmr 0 status "$WORK/hot.gpkg"
# Another cmr writing the store (its cmr lock held, its -journal live and
# the database's write lock taken, for 7 s): an import started then waits
# for it, saying so, and goes on once it has committed. It took the live
# journal for one left by a stop, and failed after 5 s (a review).
cp "$DB" "$WORK/live.gpkg"
python3 - "$WORK/live.gpkg" "$WORK/live.ready" <<'PY' &
import fcntl, os, sqlite3, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)  # as cmr's writer does (lock_store)
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA cache_size = 1")
c.execute("BEGIN")
c.execute("CREATE TABLE junk(x)")
c.executemany("INSERT INTO junk VALUES (?)", [(os.urandom(500),) for i in range(2000)])
open(sys.argv[2], "w").close()
time.sleep(7)
c.execute("COMMIT")
PY
writer=$!
for _ in $(seq 100); do [ -e "$WORK/live.ready" ] && break; sleep 0.1; done
[ -s "$WORK/live.gpkg-journal" ] || fail "the writer has no live journal"
cmr 0 import "$WORK/live.gpkg" --hazards "$WORK/quote3.csv" --assume-crs EPSG:4326
wait "$writer"
contains err "another process is writing to the store; waiting for it (up to 60 s)"
not_contains err "rolling back"
contains out "hazards: 1 read, 1 imported"
equals "the writer's table, committed" 2000 "$(sqlite3 "$WORK/live.gpkg" "SELECT count(*) FROM junk")"
# A store the user can write in a directory they cannot: SQLite cannot
# make its journal there (it failed at the first INSERT with "attempt to
# write a readonly database"). Root writes any directory: as root, drop
# to nobody, for whom the store (mode 666) is writable and its directory
# (root's, 755) not.
mkdir -p "$WORK/rodir"
cp "$DB" "$WORK/rodir/s.gpkg"
cp "$WORK/quote3.csv" "$WORK/rodir/q.csv"
chmod 666 "$WORK/rodir/s.gpkg"
cp "$WORK/rodir/s.gpkg" "$WORK/rodir-before.gpkg"
if [ "$(id -u)" != 0 ]; then
    chmod 555 "$WORK/rodir"
    cmr 1 import "$WORK/rodir/s.gpkg" --hazards "$WORK/rodir/q.csv" --assume-crs EPSG:4326
    chmod 755 "$WORK/rodir"
elif command -v setpriv >/dev/null; then
    chmod 0755 "$WORK" "$WORK/rodir"
    chmod 0644 "$WORK/rodir/q.csv"
    run 1 setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$CMR" import "$WORK/rodir/s.gpkg" --hazards "$WORK/rodir/q.csv" \
        --assume-crs EPSG:4326
else
    skip "a store in a directory the user cannot write: root without setpriv"
fi
if [ "$(id -u)" != 0 ] || command -v setpriv >/dev/null; then
    contains err "$WORK/rodir/s.gpkg: the store cannot be written: its directory $WORK/rodir is not writable"
    same_bytes "$WORK/rodir/s.gpkg" "$WORK/rodir-before.gpkg"
fi
# A PostgreSQL connection given as the store: refused, without a file
# named after it (a password in it was written into a file's name).
cd "$WORK"
cmr 2 init "PG:host=127.0.0.1 dbname=x password=Secret-1"
contains err "the store must be a GeoPackage file, not a PostgreSQL connection"
not_contains err "Secret-1"
[ ! -e "PG:host=127.0.0.1 dbname=x password=Secret-1" ] || fail "init made a file named after the connection"
[ -z "$(ls -A | grep -i '^\.*pg:')" ] || fail "init left a file behind"
cmr 1 status "postgresql://u:Secret-1@127.0.0.1/x"
contains err "the store must be a GeoPackage file, not a PostgreSQL connection"
not_contains err "Secret-1"
cmr 1 import "PG:dbname=x password=Secret-1" --hazards "$WORK/quote3.csv" --assume-crs EPSG:4326
contains err "the store must be a GeoPackage file"
not_contains err "Secret-1"
cd - >/dev/null

finish
