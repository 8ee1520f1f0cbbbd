#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regressions: three bugs the first CLI tests found in issue #2's import
# (dry-run counts, a truncated shapefile, an empty GeoJSON), fixed since.
# Every check runs and each failure is reported.
. "$(dirname "$0")/lib.sh"

FAILED=0
# bug NAME CHECK...: runs one check in a subshell; a failure is counted and
# the script goes on.
bug() {
    local name=$1
    shift
    if ("$@" >/dev/null) 2>"$WORK/bug.err"; then
        PASSED=$((PASSED + 1))
    else
        FAILED=$((FAILED + 1))
        printf '%s: REGRESSION: %s\n' "$TEST_NAME" "$name" >&2
        grep -F 'FAIL' "$WORK/bug.err" >&2 || true
    fi
}

DB=$WORK/store.gpkg

# 1. --dry-run reports what a real import would do, replacements included.
#    cmr import DB --hazards hazards.geojson (twice, the second with
#    --dry-run): the dry run prints "3 would be imported (0 replaced)"; the
#    real re-import prints "3 imported (3 replaced)".
dry_run_counts_replacements() {
    fresh_store "$DB"
    cmr 0 import "$DB" --hazards "$FIX/hazards.geojson"
    cp "$DB" "$WORK/before.gpkg"
    cmr 0 import "$DB" --hazards "$FIX/hazards.geojson" --dry-run
    same_bytes "$DB" "$WORK/before.gpkg"
    contains out "hazards: 3 read, 3 would be imported (3 replaced)"
}
bug "--dry-run counts no replacements" dry_run_counts_replacements

# 2. A truncated Shapefile fails the call. cmr import DB --hazards
#    truncshp/hazards.shp (the .shp cut inside the third record): exit 0,
#    "3 read, 2 imported, 1 rejected", feature 3 rejected as "missing
#    geometry"; GDAL's read error is dropped (cmr__src_next only looks at
#    GDAL's error state when no feature comes back).
truncated_shp_fails() {
    fresh_store "$DB"
    cp "$DB" "$WORK/before.gpkg"
    cmr 1 import "$DB" --hazards "$FIX/truncshp/hazards.shp"
    contains err "$FIX/truncshp/hazards.shp"
    same_bytes "$DB" "$WORK/before.gpkg"
}
bug "a truncated .shp is imported in part" truncated_shp_fails

# 3. A source with no features says so. cmr import DB --hazards
#    empty.geojson (a FeatureCollection with no features): "required field
#    'id' is missing (no column 'id'; ...; columns: )" instead of "has no
#    features" (the column check comes before the feature count, and an
#    empty GeoJSON has no columns).
empty_geojson_says_no_features() {
    fresh_store "$DB"
    cmr 1 import "$DB" --hazards "$FIX/empty.geojson"
    contains err "$FIX/empty.geojson: layer 'empty' has no features"
}
bug "an empty GeoJSON is reported as missing columns" \
    empty_geojson_says_no_features

printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
[ "$FAILED" -eq 0 ]
