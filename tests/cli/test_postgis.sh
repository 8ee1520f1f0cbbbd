#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Importing from a national database kept in PostGIS: a real PostgreSQL 15 /
# PostGIS 3 server, started here on loopback (a throwaway cluster, password
# authentication) and stopped at the end. GDAL's PostgreSQL driver reads the
# tables (cmr import --hazards "PG:..."); the password in the connection
# string is never shown nor recorded; rejects, --strict and a projected
# table behave as with files; and the ledger computed from the database
# agrees with PostGIS's own overlay and geodesic area (ST_Area on
# geography) on the ledger example.
. "$(dirname "$0")/lib.sh"

pgbin=/usr/lib/postgresql/15/bin
[ -x "$pgbin/initdb" ] || fail "no PostgreSQL 15 server ($pgbin); scripts/test.sh installs it"
command -v psql >/dev/null || fail "no psql; scripts/test.sh installs postgresql-client"

PGDIR=$(mktemp -d /tmp/cmr-pgtest.XXXXXX)
as_pg() { # the server refuses to run as root
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
stop_pg() {
    as_pg "$pgbin/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
}
trap stop_pg EXIT
[ "$(id -u)" -ne 0 ] || chown postgres "$PGDIR"
PW=s3cret-Pw
printf '%s\n' "$PW" >"$PGDIR/pw"
as_pg "$pgbin/initdb" -D "$PGDIR/data" -A scram-sha-256 -U postgres \
    --pwfile="$PGDIR/pw" >"$PGDIR/initdb.log" 2>&1 ||
    fail "initdb failed: $(tail -3 "$PGDIR/initdb.log")"
port=$((55000 + RANDOM % 900))
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((55000 + RANDOM % 900))
done
as_pg "$pgbin/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-p $port -k $PGDIR -c listen_addresses=127.0.0.1" start >/dev/null ||
    fail "the PostgreSQL server did not start: $(tail -3 "$PGDIR/log")"
export PGPASSWORD=$PW # for psql and ogr2ogr; cmr is given it in the string
pg() { psql -h 127.0.0.1 -p "$port" -U postgres -d imsma -v ON_ERROR_STOP=1 -qAt "$@"; }
createdb -h 127.0.0.1 -p "$port" -U postgres imsma
pg -c "CREATE EXTENSION postgis" >/dev/null
pass

# The ledger example, loaded by ogr2ogr as an information manager would.
PGC="PG:host=127.0.0.1 port=$port user=postgres dbname=imsma"
ogr2ogr -f PostgreSQL "$PGC" "$LEDGER/hazards.geojson" -nln hazards \
    -lco GEOMETRY_NAME=geom || fail "ogr2ogr hazards"
ogr2ogr -f PostgreSQL "$PGC" "$LEDGER/releases.geojson" -nln releases \
    -lco GEOMETRY_NAME=geom || fail "ogr2ogr releases"

# cmr reads the database with the password in the connection string.
CONN="PG:host=127.0.0.1 port=$port user=postgres password=$PW dbname=imsma"
SHOWN="PG:host=127.0.0.1 port=$port user=postgres password=*** dbname=imsma"
DB=$WORK/store.gpkg
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$CONN" --hazards-layer hazards \
    --releases "$CONN" --releases-layer releases
contains out "hazards: 2 read, 2 imported (0 replaced), 0 rejected"
contains out "releases: 3 read, 3 imported (0 replaced), 0 rejected"
equals "the source recorded" "$SHOWN|hazards
$SHOWN|releases" "$(sql "$DB" "SELECT file, layer FROM import_run
    WHERE $RECORD_RUNS ORDER BY kind")"
if grep -qaF -- "$PW" "$DB"; then fail "the password is in the store"; fi
pass

# The ledger from the database: the same bytes as from the files; the
# remaining area as the live server's own overlay and area, within the
# slivers of the cut edges (PostGIS measures its faces through the points
# where edges were cut, on straight lon/lat lines, and cmr keeps each piece
# of a cut edge to its geodesic: 28 m² here, 7e-6; README, "Areas after the
# overlay").
cmr 0 status "$DB" --country LAO --at 2024-12-31 --format json
cp "$WORK/out" "$WORK/pg.json"
contains "$WORK/pg.json" '"remaining_m2": 4078827.06'
contains "$WORK/pg.json" '"cleared_m2": 2330861.34'
contains "$WORK/pg.json" '"reduced_m2": 582724.56'
contains "$WORK/pg.json" '"cancelled_m2": 1165362.26'
fresh_store "$WORK/files.gpkg"
cmr 0 import "$WORK/files.gpkg" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"
cmr 0 status "$WORK/files.gpkg" --country LAO --at 2024-12-31 --format json
same_text "$WORK/pg.json" "$WORK/out"
live=$(pg -c "SELECT round(ST_Area(ST_Difference(
    (SELECT ST_Union(geom) FROM hazards),
    (SELECT ST_Union(geom) FROM releases))::geography)::numeric, 2)")
equals "PostGIS's remaining area, live" "4078854.63" "$live"
awk -v a=4078827.06 -v b="$live" 'BEGIN { d = a - b; if (d < 0) d = -d;
    exit !(d <= 1e-5 * b) }' ||
    fail "cmr's remaining 4078827.06 m2 is not within 1e-5 of PostGIS's $live"
pass

# A projected table (UTM 48N, as a national database may keep it): GDAL
# reads its CRS from PostGIS; the same vertices, so the same area to the
# square metre.
pg -c "CREATE TABLE hazards_utm AS SELECT id, country, class, contamination,
    recorded, ST_Transform(geom, 32648)::geometry(Polygon, 32648) AS geom
    FROM hazards"
fresh_store "$WORK/utm.gpkg"
cmr 0 import "$WORK/utm.gpkg" --hazards "$CONN" --hazards-layer hazards_utm \
    --releases "$CONN" --releases-layer releases
cmr 0 status "$WORK/utm.gpkg" --country LAO --at 2024-12-31 --format csv
utm=$(cut -d, -f7 "$WORK/out" | tail -1)
awk -v a="$utm" 'BEGIN { d = a - 4078827.06; exit !(d < 1 && d > -1) }' ||
    fail "UTM table: remaining $utm m2, not 4078827.06 within 1 m2"
pass

# A row of the database that cannot be used is a reject naming the source
# (without its password), the layer, the feature and the field; the rest is
# imported. --strict refuses the whole call and leaves the store as it was.
pg -c "CREATE TABLE hazards_bad AS SELECT * FROM hazards" \
    -c "UPDATE hazards_bad SET class = 'XYZ' WHERE id = 'H2'"
fresh_store "$DB"
cp "$DB" "$WORK/before.gpkg"
cmr 1 import "$DB" --hazards "$CONN" --hazards-layer hazards_bad --strict
same_bytes "$DB" "$WORK/before.gpkg"
not_contains err "$PW"
cmr 0 import "$DB" --hazards "$CONN" --hazards-layer hazards_bad
contains out "hazards: 2 read, 1 imported (0 replaced), 1 rejected"
grep -F "cmr: import: rejected: $SHOWN: layer 'hazards_bad': feature " "$WORK/err" |
    grep -qF "(id H2): field class: unknown class 'XYZ'" ||
    fail "no reject line for H2 naming the source without its password"
not_contains err "$PW"
pass

# A wrong password, or a table that is not there: a failure naming the
# source without the password given; the store is untouched.
cp "$DB" "$WORK/before.gpkg"
cmr 1 import "$DB" --hazards "${CONN/$PW/wrong-Pw}" --hazards-layer hazards
contains err "password authentication failed"
not_contains err "wrong-Pw"
same_bytes "$DB" "$WORK/before.gpkg"
cmr 1 import "$DB" --hazards "$CONN" --hazards-layer nosuch
contains err "$SHOWN: no layer named 'nosuch'"
not_contains err "$PW"
same_bytes "$DB" "$WORK/before.gpkg"

finish
