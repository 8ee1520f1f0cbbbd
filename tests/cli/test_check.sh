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

finish
