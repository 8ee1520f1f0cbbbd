#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmr import's options: --map, --value, --preset (built in and file),
# --country, --hazards-layer/--releases-layer, --dry-run, --strict on clean
# data, and re-import, which replaces records and keeps the old ones in
# hazard_history / release_history.
. "$(dirname "$0")/lib.sh"

DB=$WORK/store.gpkg
CUSTOM=$FIX/hazards_custom.geojson
CUSTOM_Q="SELECT id, country, class, contamination, recorded,
    reported_area_m2 FROM hazard ORDER BY id"
CUSTOM_ROWS="S-01|LAO|CHA|CMR|2013-02-03|5000.0
S-02|LAO|SHA|CMR|2014-03-04|6000.0"

# ---- --map, --value and --country ----
# The custom source has no column of a canonical name and no country.
fresh_store "$DB"
cp "$DB" "$WORK/before.gpkg"
cmr 1 import "$DB" --hazards "$CUSTOM"
contains err "required field 'id' is missing"
contains err "$CUSTOM"
same_bytes "$DB" "$WORK/before.gpkg"

cmr 0 import "$DB" --hazards "$CUSTOM" --map hazards.id=HAZ_REF \
    --map class=KIND --map hazards.recorded=FOUND \
    --map reported_area_m2=AREA --map contamination=CONTAM \
    --value class:confirmed=CHA --value hazards.class:Suspected=SHA \
    --country lao
contains out "hazards: 2 read, 2 imported (0 replaced), 0 rejected, 0 repaired"
equals "mapped records" "$CUSTOM_ROWS" "$(sql "$DB" "$CUSTOM_Q")"
equals "run options" "country=lao; assume_crs=; preset=; strict=0; maps=5; values=2; --map hazards.id=HAZ_REF --map class=KIND --map hazards.recorded=FOUND --map reported_area_m2=AREA --map contamination=CONTAM --value class:confirmed=CHA --value hazards.class:Suspected=SHA" \
    "$(sql "$DB" "SELECT options FROM import_run WHERE $RECORD_RUNS")"

# Without --country the records have none: each is rejected.
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$CUSTOM" --map id=HAZ_REF --map class=KIND \
    --map recorded=FOUND --value class:confirmed=CHA \
    --value class:suspected=SHA
contains out "hazards: 2 read, 0 imported (0 replaced), 2 rejected"
contains err "feature 1 (id S-01): field country: no country"
# A --map or --value for releases does not apply to hazards.
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$CUSTOM" --map id=HAZ_REF --map class=KIND \
    --map recorded=FOUND --value class:confirmed=CHA \
    --value releases.hazard_id:suspected=SHA --country LAO
contains out "hazards: 2 read, 1 imported (0 replaced), 1 rejected"
contains err "(id S-02): field class: unknown class 'suspected'"
cmr 1 import "$DB" --hazards "$CUSTOM" --map releases.id=HAZ_REF \
    --map class=KIND --map recorded=FOUND --country LAO
contains err "required field 'id' is missing"
# A record's own country wins over --country.
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$FIX/hazards.geojson" --country LBN
equals "own country kept" "LAO|3" \
    "$(sql "$DB" "SELECT country, COUNT(*) FROM hazard GROUP BY country")"
# --country a State the store does not know: the call fails (a usage
# error, as in every command).
fresh_store "$DB"
cp "$DB" "$WORK/before.gpkg"
cmr 2 import "$DB" --hazards "$CUSTOM" --map id=HAZ_REF --map class=KIND \
    --map recorded=FOUND --country FRA
contains err "--country FRA"
same_bytes "$DB" "$WORK/before.gpkg"
# A --map naming a column that does not exist fails the whole source.
cmr 1 import "$DB" --hazards "$FIX/hazards.geojson" --map recorded=nosuch
contains err "$FIX/hazards.geojson"
contains err "no column 'nosuch'"
same_bytes "$DB" "$WORK/before.gpkg"

# ---- presets ----
# A preset file does what the --map/--value options above did.
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$CUSTOM" --preset "$DATA/preset_survey.json" \
    --country LAO
contains out "hazards: 2 read, 2 imported (0 replaced), 0 rejected"
equals "preset file records" "$CUSTOM_ROWS" "$(sql "$DB" "$CUSTOM_Q")"
# The caller's --value wins over the preset's, whatever the order.
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$CUSTOM" --value class:confirmed=SHA \
    --preset "$DATA/preset_survey.json" --country LAO
equals "own --value wins" "S-01|SHA" \
    "$(sql "$DB" "SELECT id, class FROM hazard WHERE id = 'S-01'")"
# A broken preset file fails the call and names the file.
cmr 1 import "$DB" --hazards "$CUSTOM" --preset "$DATA/preset_broken.json"
contains err "preset_broken.json"
# A preset file that maps a field cmr does not know: a usage error (2)
# naming the file and the entry.
printf '%s\n' '{"map": {"hazards.colour": "farbe"}}' >"$WORK/preset_unknown.json"
cmr 2 import "$DB" --hazards "$CUSTOM" --preset "$WORK/preset_unknown.json"
contains err "preset $WORK/preset_unknown.json: map entry \"hazards.colour\": unknown canonical field 'colour' for hazards"
printf '%s\n' '{"value": {"hazards.colour": {"rot": "red"}}}' >"$WORK/preset_unknown.json"
cmr 2 import "$DB" --hazards "$CUSTOM" --preset "$WORK/preset_unknown.json"
contains err "preset $WORK/preset_unknown.json: value entry \"hazards.colour\":"

# imsma-ng: IMSMA NG column names and values.
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$FIX/imsma_hazards.geojson" \
    --releases "$FIX/imsma_activities.geojson" --preset imsma-ng
contains out "hazards: 3 read, 2 imported (0 replaced), 1 rejected, 0 repaired"
contains out "releases: 3 read, 3 imported (0 replaced), 0 rejected, 0 repaired"
contains err "imsma_hazards.geojson: layer 'imsma_hazards': feature 3 (id HZ-003): field closed:"
equals "imsma-ng hazards" "HZ-001|LBN|CHA|CMR|2011-03-04||1210000.0
HZ-002|LBN|SHA|Landmine|2012-07-01|2019-05-05|900000.0" \
    "$(sql "$DB" "SELECT id, country, class, contamination, recorded,
        closed, reported_area_m2 FROM hazard ORDER BY id")"
equals "imsma-ng releases" "AC-1|cleared|2018-10-01|HZ-001|400000.0|31
AC-2|cancelled|2019-02-11|HZ-001|100000.0|
AC-3|reduced|2019-03-11|HZ-001|100000.0|" \
    "$(sql "$DB" "SELECT id, method, completed, hazard_id,
        reported_area_m2, submunitions FROM release ORDER BY id")"
# An Active hazard with IMSMA's status date (the day it became active) is
# open: the date is not a closing date, even one that would be rejected
# as such; Expired keeps it. Values the preset does not map to CMR
# ("Submunitions", plural) are other contamination, and import counts
# them by value (a review found an Active hazard closed on its status date
# and such values dropped from the ledger, both without a word).
S1='"POLYGON((42 -0.5,42.01 -0.5,42.01 -0.49,42 -0.49,42 -0.5))"'
S2='"POLYGON((42.02 -0.5,42.03 -0.5,42.03 -0.49,42.02 -0.49,42.02 -0.5))"'
cat >"$WORK/active.csv" <<CSV
hazard_localid,hazardtype,dateofrecord,statuschangeddate,status,typeofcontamination,country,WKT
HZ1,Confirmed Hazardous Area,2017/01/01,2018/05/01,Active,Cluster Munition,SOM,$S1
HZ2,Suspected Hazardous Area,2017/01/01,2016/01/01,Active,Submunitions,SOM,$S2
HZ3,Suspected Hazardous Area,2017/01/01,2019/01/01,Expired,UXO,SOM,$S2
HZ4,Suspected Hazardous Area,2017/01/01,,Active,UXO,SOM,$S2
CSV
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/active.csv" --preset imsma-ng \
    --assume-crs EPSG:4326
contains out "hazards: 4 read, 4 imported (0 replaced), 0 rejected"
contains out "  3 hazards of other contamination than CMR, reported apart: 'UXO' 2, 'Submunitions' 1 (a value that means CMR: --value hazards.contamination:VALUE=CMR)"
contains out "  2 hazards with a value in 'closed' but no closed status: imported open (the value is not read as a closing date)"
equals "open hazards keep no closing date" "HZ1|CMR||
HZ2|Submunitions||
HZ3|UXO|2019-01-01|
HZ4|UXO||" \
    "$(sql "$DB" "SELECT id, contamination, closed, '' FROM hazard ORDER BY id")"
# HZ1 is remaining (0.01 degree squared at the equator: 1,230,862.50 m2)
cmr 0 status "$DB" --country SOM --at 2020-12-31 --format json
contains out '"remaining_m2": 1230862.5'
# Without a status (no column, or a blank cell), imsma-ng's status date is
# not a closing date either (a review found such hazards closed); mapped
# by the user's own --map, it is one.
cat >"$WORK/nostatus.csv" <<CSV
hazard_localid,hazardtype,dateofrecord,statuschangeddate,typeofcontamination,country,WKT
N1,Confirmed Hazardous Area,2017/01/01,2018/05/01,Cluster Munition,SOM,$S1
CSV
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/nostatus.csv" --preset imsma-ng \
    --assume-crs EPSG:4326
contains out "  1 hazard with a value in 'closed' but no closed status: imported open"
equals "no status: open" "N1|" "$(sql "$DB" "SELECT id, closed FROM hazard")"
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/nostatus.csv" --preset imsma-ng \
    --assume-crs EPSG:4326 --map hazards.closed=statuschangeddate
not_contains out "no closed status"
equals "closed by the user's own map" "N1|2018-05-01" \
    "$(sql "$DB" "SELECT id, closed FROM hazard")"
sed 's/,2019\/01\/01,Expired,/,2019\/01\/01,,/' "$WORK/active.csv" >"$WORK/blank.csv"
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/blank.csv" --preset imsma-ng \
    --assume-crs EPSG:4326
contains out "  3 hazards with a value in 'closed' but no closed status"
equals "blank status: open" "0" \
    "$(sql "$DB" "SELECT count(*) FROM hazard WHERE closed IS NOT NULL")"
# --value FIELD:SOURCE= maps a value to none, as a blank cell: IMSMA's
# marked "Unknown" would reject the hazard (its land out of the ledger);
# an unknown status says how to map it.
cat >"$WORK/marked.csv" <<CSV
id,class,recorded,status,marked,country,WKT
M1,CHA,2017-01-01,open,Unknown,SOM,$S1
M2,CHA,2017-01-01,Completed,1,SOM,$S2
CSV
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/marked.csv" --assume-crs EPSG:4326
contains err "field marked: 'Unknown' is not a yes/no value"
contains err "unknown status 'Completed' (open or closed; map other values with --value status:Completed=open|closed)"
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/marked.csv" --assume-crs EPSG:4326 \
    --value marked:Unknown= --value status:Completed=closed
contains err "field closed: status says the hazard is closed but it has no closing date"
# (a required field mapped to none says which mapping emptied it)
cmr 0 import "$DB" --hazards "$WORK/marked.csv" --assume-crs EPSG:4326 \
    --value marked:Unknown= --value class:CHA= --dry-run
contains err "field class: required field 'class' is empty: a --value maps 'CHA' to none"
equals "marked unknown: none, and open" "M1|1|1" \
    "$(sql "$DB" "SELECT id, marked IS NULL, closed IS NULL FROM hazard")"
# A new export without a record the store has of its State: the record is
# kept, and import says so (a review: an export of open hazards only leaves
# out those closed since, which stay open in the store without a word).
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"
ogr2ogr -f GeoJSON -where "id = 'H1'" "$WORK/h1only.geojson" \
    "$LEDGER/hazards.geojson" || fail "ogr2ogr h1only"
cmr 0 import "$DB" --hazards "$WORK/h1only.geojson" --dry-run
contains out "hazards: 1 read, 1 would be imported (1 replaced)"
contains out "  1 hazard of the same States in the store is not in this source: kept as it was"
cmr 0 import "$DB" --hazards "$WORK/h1only.geojson"
contains out "  1 hazard of the same States in the store is not in this source: kept as it was"
equals "H2 kept" 2 "$(sql "$DB" "SELECT count(*) FROM hazard")"
# another State's records: nothing to say of Lao PDR's
cmr 0 import "$DB" --hazards "$WORK/nostatus.csv" --preset imsma-ng \
    --assume-crs EPSG:4326
contains out "hazards: 1 read, 1 imported"
not_contains out "not in this source"
# A record the source has but rejects is in it all the same (a review:
# H2, with a bad class, was counted as left out); a State whose records
# are all rejected is counted too (SOM's N1 is not in this source).
python3 - "$LEDGER/hazards.geojson" "$WORK/h2bad.geojson" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["features"]:
    if f["properties"]["id"] == "H2":
        f["properties"]["class"] = "XYZ"
x = json.loads(json.dumps(d["features"][0]))
x["properties"].update(id="N9", country="SOM", **{"class": "XYZ"})
d["features"].append(x)
json.dump(d, open(sys.argv[2], "w"))
PY
cmr 0 import "$DB" --hazards "$WORK/h2bad.geojson"
contains out "hazards: 3 read, 1 imported (1 replaced), 2 rejected"
contains out "  1 hazard of the same States in the store is not in this source: kept as it was"
# A preset file that extends imsma-ng and spells the status date otherwise
# keeps it a status date (a review found the hazard closed again).
sed 's/statuschangeddate/status_changed_on/' "$WORK/nostatus.csv" \
    >"$WORK/nostatus2.csv"
printf '%s\n' '{"extends": "imsma-ng", "map": {"hazards.closed": "status_changed_on"}}' \
    >"$WORK/preset_sd.json"
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/nostatus2.csv" \
    --preset "$WORK/preset_sd.json" --assume-crs EPSG:4326
contains out "  1 hazard with a value in 'closed' but no closed status: imported open"
equals "preset file: still open" "N1|" "$(sql "$DB" "SELECT id, closed FROM hazard")"
# A row of cells holding only no-break spaces is an empty row, skipped.
printf 'id,class,recorded,country,WKT\nE1,CHA,2017-01-01,SOM,"POLYGON((42 -0.5,42.01 -0.5,42.01 -0.49,42 -0.5))"\n\xc2\xa0,\xc2\xa0, ,\xc2\xa0,\xc2\xa0\n' \
    >"$WORK/nbsp.csv"
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/nbsp.csv" --assume-crs EPSG:4326 --strict
contains out "hazards: 1 read, 1 imported (0 replaced), 0 rejected, 0 repaired; 1 empty row skipped"
# with --value, the plural counts as CMR too
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$WORK/active.csv" --preset imsma-ng \
    --assume-crs EPSG:4326 --value hazards.contamination:Submunitions=CMR
contains out "  2 hazards of other contamination than CMR, reported apart: 'UXO' 2 ("

# A preset file extending imsma-ng overrides one of its values.
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$FIX/imsma_hazards.geojson" \
    --preset "$DATA/preset_lbn.json"
contains out "hazards: 3 read, 3 imported (0 replaced), 0 rejected"

# ---- layers of a multi-layer GeoPackage ----
fresh_store "$DB"
cp "$DB" "$WORK/before.gpkg"
# The default is the first layer, which is neither.
cmr 1 import "$DB" --hazards "$FIX/multi.gpkg"
contains err "layer 'notes'"
same_bytes "$DB" "$WORK/before.gpkg"
cmr 0 import "$DB" --hazards "$FIX/multi.gpkg" --hazards-layer haz_layer \
    --releases "$FIX/multi.gpkg" --releases-layer rel_layer
contains out "hazards: 3 read, 3 imported (0 replaced), 0 rejected"
contains out "releases: 3 read, 3 imported (0 replaced), 0 rejected"
equals "layers recorded" "hazards|haz_layer
releases|rel_layer" "$(sql "$DB" "SELECT kind, layer FROM import_run
    WHERE $RECORD_RUNS ORDER BY kind")"
# A layer option applies to its own kind only.
fresh_store "$DB"
cmr 1 import "$DB" --hazards "$FIX/multi.gpkg" --releases-layer rel_layer
contains err "layer 'notes'"

# ---- --dry-run ----
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$FIX/hazards.geojson"
cp "$DB" "$WORK/before.gpkg"
cmr 0 import "$DB" --hazards "$FIX/hazards_bad.geojson" \
    --releases "$FIX/releases.geojson" --dry-run
contains out "hazards: 12 read, 3 would be imported"
contains out "9 rejected, 1 repaired"
contains out "releases: 3 read, 3 would be imported"
contains out "dry run: nothing written"
not_contains out "import run"
contains err "rejected: $FIX/hazards_bad.geojson"
same_bytes "$DB" "$WORK/before.gpkg"
# A dry run of a failing source fails the same way.
cmr 1 import "$DB" --hazards "$FIX/norecorded.geojson" --dry-run
same_bytes "$DB" "$WORK/before.gpkg"

# ---- re-import replaces ----
fresh_store "$DB"
cmr 0 import "$DB" --hazards "$FIX/hazards.geojson" \
    --releases "$FIX/releases.geojson" --strict
contains out "recorded in $DB"
r1=$(last_run)
cmr 0 import "$DB" --hazards "$FIX/shp/hazards.shp" \
    --releases "$FIX/releases.geojson"
contains out "hazards: 3 read, 3 imported (3 replaced), 0 rejected"
contains out "releases: 3 read, 3 imported (3 replaced), 0 rejected"
r2=$(last_run)
equals "next run" "$((r1 + 1))" "$r2"
equals "records after re-import" "3|$r2" \
    "$(sql "$DB" "SELECT COUNT(*), MIN(import_run) FROM hazard")"
equals "hazard history" "HZ1|$r1|$r2
HZ2|$r1|$r2
HZ3|$r1|$r2" "$(sql "$DB" "SELECT id, import_run, replaced_by_run
    FROM hazard_history ORDER BY id")"
equals "release history" "3" \
    "$(sql "$DB" "SELECT COUNT(*) FROM release_history
        WHERE replaced_by_run = $r2 AND import_run = $r1")"
# A partial re-import replaces only what it names.
cmr 0 import "$DB" --hazards "$FIX/hazards_bad.geojson"
contains out "(0 replaced)"
equals "new LAO records beside the old" "6" \
    "$(sql "$DB" "SELECT COUNT(*) FROM hazard")"
r3=$(last_run)
equals "runs" "$r1|2
$r2|2
$r3|1" "$(sql "$DB" "SELECT run, COUNT(*) FROM import_run WHERE $RECORD_RUNS
    GROUP BY run ORDER BY run")"

finish
