#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `cmr check` on the worked example (tests/data/ledger-example): the three
# findings its README names, with the areas PostGIS gives (within 2.5e-5), in
# text, CSV and JSON; --fail-on and its usage errors; and the SYNTHETIC
# label on findings in generated data.
. "$(dirname "$0")/lib.sh"

# near A B: |A - B| <= 2.5e-5 |B|
near() {
    awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d;
        exit !(d <= 2.5e-5 * b) }' || fail "$1 is not within 2.5e-5 of $2"
    pass
}

DB=$WORK/store.gpkg
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"

cmr 0 check "$DB"
# README's example is this output, to the character (the store named
# ex.gpkg there)
readme_example "cmr check ex.gpkg" "$WORK/out"
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
# R1 and R2, the part of R3 outside every hazard. PostGIS measures its
# faces through the points where edges were cut, on straight lon/lat
# lines; cmr keeps the pieces of a cut edge to its geodesic (README, "Areas
# after the overlay"): the two differ by parts of the slivers between these
# 1 to 2 km edges and their geodesics, up to 11.8 m² (2.0e-5) here.
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
# all: any finding (the worked example has three; an empty store none)
cmr 1 check "$DB" --fail-on all
fresh_store "$WORK/empty.gpkg"
cmr 0 check "$WORK/empty.gpkg" --fail-on all
cmr 2 check "$DB" --fail-on no_such_kind
contains err "no_such_kind"
# (the unknown one named in a list: a review found only the list quoted)
cmr 2 check "$DB" --fail-on hazard_overlap,bogus
contains err "unknown kind 'bogus'"
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
contains out "closed 2012-01-01 (the store says 2009-01-01, before it was recorded) with"
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


# release_unknown_hazard: a release whose hazard_id names no hazard of its
# State in the store. Four squares of H1, each a release: R1 names a
# hazard that does not exist; R2 names H1; R6 names H4, recorded after the
# as-of date (it is in the store all the same); R7 (imported later) names
# LBN's hazard L1, of another State. R3 names H2, closed since; R4 none (an
# empty hazard_id, as a store edited elsewhere may hold); R5 H3, a hazard
# of other contamination. R1 is the only cleared release: its area is the
# State's cleared_m2.
HID=$WORK/hid.gpkg
fresh_store "$HID"
cat >"$WORK/hid-h.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"H1","country":"LAO","class":"CHA","recorded":"2012-01-01"},"geometry":{"type":"Polygon","coordinates":[[[102.6,18.3],[102.61,18.3],[102.61,18.31],[102.6,18.31],[102.6,18.3]]]}},
{"type":"Feature","properties":{"id":"H2","country":"LAO","class":"CHA","recorded":"2012-01-01","closed":"2013-06-01"},"geometry":{"type":"Polygon","coordinates":[[[102.7,18.3],[102.71,18.3],[102.71,18.31],[102.7,18.31],[102.7,18.3]]]}},
{"type":"Feature","properties":{"id":"H3","country":"LAO","class":"CHA","contamination":"ERW","recorded":"2012-01-01"},"geometry":{"type":"Polygon","coordinates":[[[102.8,18.3],[102.81,18.3],[102.81,18.31],[102.8,18.31],[102.8,18.3]]]}},
{"type":"Feature","properties":{"id":"H4","country":"LAO","class":"SHA","recorded":"2015-01-01"},"geometry":{"type":"Polygon","coordinates":[[[102.9,18.3],[102.91,18.3],[102.91,18.31],[102.9,18.31],[102.9,18.3]]]}},
{"type":"Feature","properties":{"id":"L1","country":"LBN","class":"CHA","recorded":"2012-01-01"},"geometry":{"type":"Polygon","coordinates":[[[35.5,33.3],[35.51,33.3],[35.51,33.31],[35.5,33.31],[35.5,33.3]]]}}
]}
EOF
cat >"$WORK/hid-r.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"R1","country":"LAO","method":"cleared","completed":"2013-01-01","hazard_id":"HA-9"},"geometry":{"type":"Polygon","coordinates":[[[102.6,18.3],[102.605,18.3],[102.605,18.305],[102.6,18.305],[102.6,18.3]]]}},
{"type":"Feature","properties":{"id":"R2","country":"LAO","method":"reduced","completed":"2013-01-01","hazard_id":"H1"},"geometry":{"type":"Polygon","coordinates":[[[102.605,18.305],[102.61,18.305],[102.61,18.31],[102.605,18.31],[102.605,18.305]]]}},
{"type":"Feature","properties":{"id":"R3","country":"LAO","method":"reduced","completed":"2013-01-01","hazard_id":"H2"},"geometry":{"type":"Polygon","coordinates":[[[102.7,18.3],[102.705,18.3],[102.705,18.305],[102.7,18.305],[102.7,18.3]]]}},
{"type":"Feature","properties":{"id":"R4","country":"LAO","method":"reduced","completed":"2013-01-01","hazard_id":"EMPTIED"},"geometry":{"type":"Polygon","coordinates":[[[102.705,18.305],[102.71,18.305],[102.71,18.31],[102.705,18.31],[102.705,18.305]]]}},
{"type":"Feature","properties":{"id":"R5","country":"LAO","method":"reduced","completed":"2013-01-01","hazard_id":"H3"},"geometry":{"type":"Polygon","coordinates":[[[102.8,18.3],[102.805,18.3],[102.805,18.305],[102.8,18.305],[102.8,18.3]]]}},
{"type":"Feature","properties":{"id":"R6","country":"LAO","method":"reduced","completed":"2013-01-01","hazard_id":"H4"},"geometry":{"type":"Polygon","coordinates":[[[102.6,18.305],[102.605,18.305],[102.605,18.31],[102.6,18.31],[102.6,18.305]]]}}
]}
EOF
cmr 0 import "$HID" --hazards "$WORK/hid-h.geojson" \
    --releases "$WORK/hid-r.geojson"
ogrinfo -q "$HID" -sql "UPDATE release SET hazard_id = '' WHERE id = 'R4'" \
    >/dev/null || fail "cannot edit $HID"
cmr 0 check "$HID" --at 2013-12-31 --format csv
equals "release_unknown_hazard findings" "R1" \
    "$(awk -F, '$1 == "release_unknown_hazard" {print $3}' "$WORK/out")"
contains out "release_unknown_hazard,LAO,R1,"
contains out "names hazard 'HA-9' which is not in the store for LAO"
found=$(awk -F, '$1 == "release_unknown_hazard" {print $4}' "$WORK/out")
cmr 0 status "$HID" --at 2013-12-31 --country LAO --format csv
equals "cleared_m2 column" cleared_m2 "$(head -1 "$WORK/out" | cut -d, -f14)"
cleared=$(awk -F, 'NR == 2 {print $14}' "$WORK/out")
near "$found" "$cleared"
awk -v a="$cleared" 'BEGIN { exit !(a > 2e5 && a < 4e5) }' ||
    fail "R1's area $cleared is not that of a square of 0.005 degrees"
pass
cmr 0 check "$HID" --at 2013-12-31
contains out "release_unknown_hazard  LAO "
contains out "names hazard 'HA-9' which is not in the store for LAO"
cmr 0 check "$HID" --at 2013-12-31 --format json
contains out '"kind": "release_unknown_hazard"'
cmr 1 check "$HID" --at 2013-12-31 --fail-on release_unknown_hazard
cmr 0 check "$HID" --at 2013-12-31 --fail-on release_before_hazard
# R7 names a hazard of another State: a finding of its own State's, after
# R1's (in id order) and before the kinds that follow (H2 closed with land
# never released).
cat >"$WORK/hid-r7.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"R7","country":"LAO","method":"reduced","completed":"2013-01-01","hazard_id":"L1"},"geometry":{"type":"Polygon","coordinates":[[[102.605,18.3],[102.61,18.3],[102.61,18.305],[102.605,18.305],[102.605,18.3]]]}}
]}
EOF
cmr 0 import "$HID" --releases "$WORK/hid-r7.geojson"
cmr 0 check "$HID" --at 2013-12-31 --format csv
equals "release_unknown_hazard findings, in order" "R1 R7" \
    "$(awk -F, '$1 == "release_unknown_hazard" {printf "%s%s", s, $3; s = " "}' "$WORK/out")"
equals "kinds in order" \
    "release_unknown_hazard release_unknown_hazard closed_without_release" \
    "$(awk -F, 'NR > 1 {printf "%s%s", s, $1; s = " "}' "$WORK/out")"
contains out "names hazard 'L1' which is not in the store for LAO"
cmr 1 check "$HID" --at 2013-12-31 --country LAO \
    --fail-on release_unknown_hazard
cmr 0 check "$HID" --at 2013-12-31 --country LBN \
    --fail-on release_unknown_hazard
not_contains out "release_unknown_hazard"
# An id that differs from a hazard's only in case is still unknown (ids
# are compared exactly), and the finding names the hazard meant: R1 names
# 'h1' where H1 is; R7 'l1', whose L1 is LBN's, names none.
ogrinfo -q "$HID" \
    -sql "UPDATE release SET hazard_id = CASE id WHEN 'R1' THEN 'h1' ELSE 'l1' END WHERE id IN ('R1', 'R7')" \
    >/dev/null || fail "cannot edit $HID"
cmr 0 check "$HID" --at 2013-12-31 --format csv
contains out "names hazard 'h1' which is not in the store for LAO (hazard 'H1' differs from it only in case: ids are compared exactly)"
contains out "names hazard 'l1' which is not in the store for LAO,"
# Their hazard named: no finding left.
ogrinfo -q "$HID" \
    -sql "UPDATE release SET hazard_id = 'H1' WHERE id IN ('R1', 'R7')" \
    >/dev/null || fail "cannot edit $HID"
cmr 0 check "$HID" --at 2013-12-31 --fail-on release_unknown_hazard
not_contains out "release_unknown_hazard"


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

# A release that names, by hazard_id, a hazard recorded after it, while
# another hazard open then covers the land: it counts as release (of M's
# land), and L adds the land again (found_again); it is release_before_hazard
# all the same, over the part inside L (a review found no finding, where a
# date typed wrong is the likely cause). RM names M, recorded before it: no
# finding.
cat >"$WORK/named-h.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"M","country":"SOM","class":"CHA","recorded":"2017-01-01"},"geometry":{"type":"Polygon","coordinates":[[[41.99,-0.51],[42.02,-0.51],[42.02,-0.48],[41.99,-0.48],[41.99,-0.51]]]}},
{"type":"Feature","properties":{"id":"L","country":"SOM","class":"SHA","recorded":"2019-01-01"},"geometry":{"type":"Polygon","coordinates":[[[42,-0.5],[42.01,-0.5],[42.01,-0.49],[42,-0.49],[42,-0.5]]]}}
]}
EOF
cat >"$WORK/named-r.geojson" <<'EOF'
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"RL","country":"SOM","method":"cleared","completed":"2018-06-30","hazard_id":"L"},"geometry":{"type":"Polygon","coordinates":[[[42,-0.5],[42.01,-0.5],[42.01,-0.49],[42,-0.49],[42,-0.5]]]}},
{"type":"Feature","properties":{"id":"RM","country":"SOM","method":"cleared","completed":"2018-06-30","hazard_id":"M"},"geometry":{"type":"Polygon","coordinates":[[[41.99,-0.51],[41.995,-0.51],[41.995,-0.505],[41.99,-0.505],[41.99,-0.51]]]}}
]}
EOF
NAMED=$WORK/named.gpkg
fresh_store "$NAMED"
cmr 0 import "$NAMED" --hazards "$WORK/named-h.geojson" \
    --releases "$WORK/named-r.geojson"
cmr 0 check "$NAMED" --at 2019-12-31 --format csv
equals "release_before_hazard records" "RL" \
    "$(awk -F, '$1 == "release_before_hazard" {print $3}' "$WORK/out")"
contains out "completed 2018-06-30, before hazard(s) L were recorded (it names hazard L, recorded 2019-01-01: it counts as release under the hazards open then, and L adds the land again)"
again=$(awk -F, '$1 == "found_again" {print $4}' "$WORK/out")
before=$(awk -F, '$1 == "release_before_hazard" {print $4}' "$WORK/out")
near "$before" "$again"
# (a square of 0.01 degree at 42 E, 0.5 S: 1,230,862.5 m2)
near "$before" 1230862.5
# before L was recorded, no finding: RL names a hazard not yet in the store
cmr 0 check "$NAMED" --at 2018-12-31 --format csv
not_contains out "release_before_hazard"
# Where the land was no longer contaminated at the release's date (A
# cleared by R1, C recorded and closed without release since), the release
# is not release: before the hazard it names all the same, and not said to
# count (a review found both findings, one saying it counted). The named
# hazard's long id, ending in a two-byte character, is whole in the detail.
LONG="$(printf 'x%.0s' $(seq 59))é"
SQ='[[42,-0.5],[42.01,-0.5],[42.01,-0.49],[42,-0.49],[42,-0.5]]'
cat >"$WORK/gone-h.geojson" <<EOF
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"A","country":"SOM","class":"CHA","recorded":"2015-01-01"},"geometry":{"type":"Polygon","coordinates":[$SQ]}},
{"type":"Feature","properties":{"id":"C","country":"SOM","class":"SHA","recorded":"2017-01-01","closed":"2017-06-01"},"geometry":{"type":"Polygon","coordinates":[$SQ]}},
{"type":"Feature","properties":{"id":"$LONG","country":"SOM","class":"SHA","recorded":"2019-01-01"},"geometry":{"type":"Polygon","coordinates":[$SQ]}}
]}
EOF
cat >"$WORK/gone-r.geojson" <<EOF
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"R1","country":"SOM","method":"cleared","completed":"2016-01-01","hazard_id":"A"},"geometry":{"type":"Polygon","coordinates":[$SQ]}},
{"type":"Feature","properties":{"id":"RL","country":"SOM","method":"cleared","completed":"2018-01-01","hazard_id":"$LONG"},"geometry":{"type":"Polygon","coordinates":[$SQ]}}
]}
EOF
fresh_store "$WORK/gone.gpkg"
cmr 0 import "$WORK/gone.gpkg" --hazards "$WORK/gone-h.geojson" \
    --releases "$WORK/gone-r.geojson"
cmr 0 check "$WORK/gone.gpkg" --at 2019-12-31 --format csv
equals "RL's findings" "release_before_hazard" \
    "$(awk -F, '$3 == "RL" {print $1}' "$WORK/out")"
contains out "completed 2018-01-01, before hazard(s) $LONG were recorded\","
not_contains out "it counts as release"
near "$(awk -F, '$3 == "RL" {print $4}' "$WORK/out")" 1230862.5
python3 -c 'import sys; open(sys.argv[1], encoding="utf-8").read()' \
    "$WORK/out" || fail "check's CSV is not UTF-8"
pass
# with the note, an id of that length is whole too (and the text UTF-8)
ogrinfo -q "$NAMED" -sql "UPDATE hazard SET id = '$LONG' WHERE id = 'L'" \
    >/dev/null || fail "cannot edit $NAMED"
ogrinfo -q "$NAMED" -sql "UPDATE release SET hazard_id = '$LONG' WHERE id = 'RL'" \
    >/dev/null || fail "cannot edit $NAMED"
cmr 0 check "$NAMED" --at 2019-12-31 --format csv
contains out "(it names hazard $LONG, recorded 2019-01-01: it counts as release under the hazards open then, and $LONG adds the land again)"
python3 -c 'import sys; open(sys.argv[1], encoding="utf-8").read()' \
    "$WORK/out" || fail "check's CSV is not UTF-8"
pass

finish
