#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmr status in text, CSV and JSON against golden files: after importing
# tests/data/ledger-example (no reported areas), and after adding
# records with reported areas in two States.
. "$(dirname "$0")/lib.sh"

DB=$WORK/store.gpkg

# golden NAME STATUS_ARGS...: cmr status DB ARGS... prints golden/NAME.
golden() {
    local name=$1
    shift
    cmr 0 status "$DB" "$@"
    cp "$WORK/out" "$WORK/$name"
    same_text "$GOLDEN/$name" "$WORK/$name"
}

fresh_store "$DB"
cmr 0 import "$DB" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"
cp "$DB" "$WORK/before.gpkg"
golden status.txt
golden status.txt --format text
golden status.csv --format csv
golden status.json --format json
golden status-lao.json --format json --country LAO
golden status-lao.csv --country LAO --format csv
# The code as typed: the same State.
golden status-lao.csv --country lao --format csv
# status only reads.
same_bytes "$DB" "$WORK/before.gpkg"

# Reported areas, summed and formatted, in two States.
cmr 0 import "$DB" --hazards "$FIX/hazards.geojson" \
    --releases "$FIX/releases.geojson"
cmr 0 import "$DB" --hazards "$FIX/imsma_hazards.geojson" \
    --releases "$FIX/imsma_activities.geojson" --preset imsma-ng
golden status-areas.txt
golden status-areas.csv --format csv
golden status-areas.json --format json

# status reads the store with SQLite and the LAP model from geodata/lap.gpkg
# (up to date with its CSV files): it loads none of GDAL's libraries.
LD_DEBUG=files "$CMR" status "$DB" >/dev/null 2>"$WORK/ld.err" ||
    fail "status under LD_DEBUG failed"
grep -q "file=libsqlite3" "$WORK/ld.err" || fail "LD_DEBUG shows no libraries"
not_contains "$WORK/ld.err" "libgdal"

# Errors.
cmr 2 status "$DB" --country FRA
contains err "unknown State 'FRA'"
cmr 2 status "$DB" --format xml
contains err "unknown format 'xml'"
cmr 2 status
contains err "expected one store path"
cmr 2 status "$DB" --bogus
cmr 1 status "$WORK/nosuch.gpkg"
contains err "$WORK/nosuch.gpkg"
cp "$FIX/hazards.gpkg" "$WORK/plain.gpkg"
cmr 1 status "$WORK/plain.gpkg"
contains err "not a cmr store"

finish
