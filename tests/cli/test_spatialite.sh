#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cross-check of the ledger against SpatiaLite's own overlay and ellipsoidal
# area (ST_Union, ST_Difference, ST_Area(geom, 1)) on generated data sets,
# sparse and dense: the union of the hazards and the remaining area agree
# within 0.05%.
. "$(dirname "$0")/lib.sh"

# within A B: |A - B| <= 0.0005 |B|
within() {
    awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d;
        m = b < 0 ? -b : b; exit !(d <= 0.0005 * m) }' ||
        fail "cmr $1 and SpatiaLite $2 differ by more than 0.05%"
    pass
}

for args in "--country LBN --seed 3" "--country LBN --seed 4 --dense" \
    "--country SSD --seed 5"; do
  iso=$(echo "$args" | awk '{print $2}')
  DB=$WORK/store.gpkg
  rm -f "$DB" "$WORK/syn.gpkg"
  # shellcheck disable=SC2086
  cmr 0 synth $args -o "$WORK/syn.gpkg"
  cmr 0 init "$DB" --no-boundaries
  cmr 0 import "$DB" --hazards "$WORK/syn.gpkg" --hazards-layer hazards \
      --releases "$WORK/syn.gpkg" --releases-layer releases
  cmr 0 status "$DB" --country "$iso" --at 2024-12-31 --format csv
  # baseline + added + released or closed before EIF = the union of the
  # hazards;
  # remaining
  read -r union remaining < <(awk -F, 'NR == 2 { printf "%.2f %.2f\n", $10 + $11 + $18 + $19, $7 }' "$WORK/out")
  sl=$(sqlite3 "$DB" "SELECT load_extension('mod_spatialite');
      SELECT EnableGpkgAmphibiousMode();
      SELECT ST_Area(ST_Union(geom), 1) FROM hazard WHERE country = '$iso';
      SELECT ST_Area(ST_Difference(
          (SELECT ST_Union(geom) FROM hazard WHERE country = '$iso'),
          (SELECT ST_Union(geom) FROM release WHERE country = '$iso'
             AND completed <= '2024-12-31')), 1);" 2>/dev/null | tail -2)
  sl_union=$(echo "$sl" | sed -n 1p)
  sl_remaining=$(echo "$sl" | sed -n 2p)
  [ -n "$sl_union" ] && [ -n "$sl_remaining" ] ||
      fail "SpatiaLite gave no areas for $args"
  within "$union" "$sl_union"
  within "$remaining" "$sl_remaining"
done

finish
