#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `cmr check` on the worked example (tests/data/ledger-example): the three
# findings its README names, with the areas PostGIS gives (within 1e-5), in
# text, CSV and JSON; --fail-on and its usage errors; and the SYNTHETIC
# label on findings in generated data.
. "$(dirname "$0")/lib.sh"

# near A B: |A - B| <= 1e-5 |B|
near() {
    awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d;
        exit !(d <= 1e-5 * b) }' || fail "$1 is not within 1e-5 of $2"
    pass
}

DB=$WORK/store.gpkg
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"

cmr 0 check "$DB"
contains out "3 findings as of 2021-12-31"
not_contains out "SYNTHETIC"
contains out "hazard_overlap          LAO "
contains out "H1,H2"
contains out "release_outside_hazard  LAO "

cmr 0 check "$DB" --format csv
equals "CSV header" "kind,country,records,area_m2,detail,synthetic,as_of" \
    "$(head -1 "$WORK/out")"
equals "CSV rows" 4 "$(wc -l <"$WORK/out")"
# The areas of expected.json (PostGIS): overlap of H1 and H2, the overlap of
# R1 and R2, the part of R3 outside every hazard.
near "$(awk -F, '$1 == "hazard_overlap" && $3 == "H1;H2" {print $4}' "$WORK/out")" 1165396.46
near "$(awk -F, '$1 == "release_method_overlap" && $3 == "R1;R2" {print $4}' "$WORK/out")" 582732.43
near "$(awk -F, '$1 == "release_outside_hazard" && $3 == "R3" {print $4}' "$WORK/out")" 1165362.25
equals "not synthetic" "0 0 0" "$(awk -F, 'NR > 1 {printf "%s%s", (NR > 2 ? " " : ""), $(NF - 1)}' "$WORK/out")"
equals "as of, on every row" "2021-12-31 2021-12-31 2021-12-31" "$(awk -F, 'NR > 1 {printf "%s%s", (NR > 2 ? " " : ""), $NF}' "$WORK/out")"
cmr 0 check "$DB" --format csv --at 2019-12-31
equals "as of --at" "2019-12-31" "$(awk -F, 'NR == 2 {print $NF}' "$WORK/out")"

cmr 0 check "$DB" --format json
contains out '"kind": "release_method_overlap"'
contains out '"synthetic": false'
contains out '"as_of": "2021-12-31"'

# --fail-on: 1 when a named kind is found, 0 when none is.
cmr 1 check "$DB" --fail-on release_outside_hazard
cmr 0 check "$DB" --fail-on outside_country,closed_without_release
cmr 2 check "$DB" --fail-on no_such_kind
contains err "no_such_kind"
cmr 2 check "$DB" --fail-on ''
contains err "a comma-separated list of kinds"
cmr 2 check "$DB" --fail-on ,
cmr 2 check "$DB" --tolerance -1

# Findings in generated data are labelled as such, in every format.
rm -f "$WORK/syn.gpkg"
cmr 0 synth --country LBN --seed 4 --dense -o "$WORK/syn.gpkg"
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/syn.gpkg" --hazards-layer hazards \
    --releases "$WORK/syn.gpkg" --releases-layer releases
cmr 0 check "$DB"
contains out "hazard_overlap          LBN*"
contains out "* SYNTHETIC DATA: findings in generated polygons"
cmr 0 check "$DB" --format csv
equals "every row synthetic" "" "$(awk -F, 'NR > 1 && $(NF - 1) != 1' "$WORK/out")"
cmr 0 check "$DB" --format json
not_contains out '"synthetic": false'
contains out '"synthetic": true'


# A store edited by hand so that a hazard closed before it was recorded
# (import refuses it): the ledger takes the closing as the day of recording,
# everywhere. A release on that day counts, and the finding prints that day.
fresh_store "$DB"
printf '%s\n' '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"X","country":"LAO","class":"SHA","recorded":"2012-01-01","closed":"2012-06-01"},"geometry":{"type":"Polygon","coordinates":[[[102,18],[102.01,18],[102.01,18.01],[102,18]]]}},{"type":"Feature","properties":{"id":"Y","country":"LAO","class":"SHA","recorded":"2012-01-01","closed":"2012-06-01"},"geometry":{"type":"Polygon","coordinates":[[[104,18],[104.01,18],[104.01,18.01],[104,18]]]}}]}' >"$WORK/h.geojson"
printf '%s\n' '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"R","country":"LAO","method":"cleared","completed":"2012-01-01"},"geometry":{"type":"Polygon","coordinates":[[[102,18],[102.01,18],[102.01,18.01],[102,18]]]}}]}' >"$WORK/r.geojson"
cmr 0 import "$DB" --hazards "$WORK/h.geojson" --releases "$WORK/r.geojson"
ogrinfo -q "$DB" -sql "UPDATE hazard SET closed = '2009-01-01'" >/dev/null ||
    fail "cannot edit $DB"
cmr 0 check "$DB" --at 2020-12-31 --format csv
not_contains out "release_outside_hazard"
contains out "closed_without_release,LAO,Y,"
contains out "closed 2012-01-01 with"
cmr 0 status "$DB" --at 2020-12-31 --format json
# X's land cleared, Y's closed without release: the same area (the same
# triangle two degrees east)
cleared=$(awk -F': ' '/^    "cleared_m2"/ { sub(",", "", $2); print $2 }' "$WORK/out")
cwr=$(awk -F': ' '/^    "closed_without_release_m2"/ { sub(",", "", $2); print $2 }' "$WORK/out")
awk -v a="$cleared" -v b="$cwr" 'BEGIN { exit !(a > 5e5 && a == b) }' ||
    fail "cleared $cleared and closed without release $cwr should be equal"
pass


# An id edited to hold a newline: the text form prints it as '?', so it
# cannot pass for a line of its own; JSON keeps it as it is.
ogrinfo -q "$DB" -sql "UPDATE hazard SET id = 'Y' || char(10) || 'forged' WHERE id = 'Y'" \
    >/dev/null || fail "cannot edit $DB"
cmr 0 check "$DB" --at 2020-12-31
contains out "Y?forged"
grep -q "^forged" "$WORK/out" && fail "an id's newline reached the text form"
cmr 0 check "$DB" --at 2020-12-31 --format json
contains out 'Y\nforged'
pass

# An id a spreadsheet would take for a formula is text in the CSV form (a
# leading apostrophe, quoted); JSON and text keep it as it is.
ogrinfo -q "$DB" -sql "UPDATE hazard SET id = '=1+2' WHERE id LIKE 'Y%'" \
    >/dev/null || fail "cannot edit $DB"
cmr 0 check "$DB" --at 2020-12-31 --format csv
contains out "closed_without_release,LAO,\"'=1+2\","
cmr 0 check "$DB" --at 2020-12-31 --format json
contains out '"=1+2"'


# Reading the store needs no GDAL: check reads it with SQLite alone and
# loads none of GDAL's libraries (about 30 ms of every run); import does.
LD_DEBUG=files "$CMR" check "$DB" >/dev/null 2>"$WORK/ld.err" ||
    fail "check under LD_DEBUG failed"
grep -q "file=libsqlite3" "$WORK/ld.err" || fail "LD_DEBUG shows no libraries"
not_contains "$WORK/ld.err" "libgdal"
fresh_store "$WORK/ld.gpkg"
LD_DEBUG=files "$CMR" import "$WORK/ld.gpkg" --hazards "$LEDGER/hazards.geojson" \
    >/dev/null 2>"$WORK/ld.err" || fail "import under LD_DEBUG failed"
contains "$WORK/ld.err" "libgdal"

finish
