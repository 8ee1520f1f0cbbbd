#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cmr indicators as its reader sees it: a value the store cannot decide is
# unknown ('-', null, no MISMATCH) with the reason; one decided by some
# States' data says how many; synthetic values are flagged in a word, not
# with the '*' the Progress Report's own cells carry; every pillar is
# printed whole and taken back by --pillar.
. "$(dirname "$0")/lib.sh"

# row ID: the text table's row of indicator ID (in out).
row() {
    grep -E "^$1 " "$WORK/out" || fail "no row $1"
}

# 1. An empty store: 18b, 21b and 24 unknown (no record), not 0 MISMATCH.
EMPTY=$WORK/empty.gpkg
fresh_store "$EMPTY"
cmr 0 indicators "$EMPTY"
for id in 18b 21b 24; do
    row "$id" | grep -qE ' +-$' || fail "$id: not '-' in an empty store: $(row "$id")"
    pass
done
not_contains out "MISMATCH"
not_contains out "SYNTHETIC"
contains out "unknown: no open hazard in the store at 2024-12-31"
contains out "unknown: no hazard or release record in the store at 2024-12-31"
contains out "- (computed): not computed, or unknown where no State's data"
row 20 | grep -qE ' 5$' || fail "20: not 5 from the deadlines data"
pass
cmr 0 indicators "$EMPTY" --format json
python3 - "$WORK/out" <<'EOF' || fail "JSON: an unknown value is not null"
import json, sys
x = {i["id"]: i for i in json.load(open(sys.argv[1]))}
for i in ("18b", "21b", "24"):
    assert x[i]["computed"] is None, i
    assert x[i]["mismatch"] is False, i
    assert x[i]["synthetic"] is False, i
    assert x[i]["detail"].startswith("unknown: "), i
    assert x[i]["covered_states"] == [], i
    assert x[i]["states_in_store"] == 10, i
assert x["20"]["computed"] == 5 and len(x["20"]["covered_states"]) == 10
EOF
pass
cmr 0 indicators "$EMPTY" --format csv
equals "CSV: 18b unknown, no mismatch" "18b,,,0,0,,10" \
    "$(awk -F, '$1 == "18b" { print $1 "," $9 "," $10 "," $11 "," $12 "," $13 "," $14 }' "$WORK/out")"

# 2. Without the deadlines data, 20 (and 25) are unknown; without
#    boundaries, 24.
NOREF=$WORK/noref.gpkg
rm -f "$NOREF"
cmr 0 init --no-reference "$NOREF"
cmr 0 indicators "$NOREF" --pillar survey-clearance
for id in 20 25; do
    row "$id" | grep -qE ' +-$' || fail "$id: not '-' without deadlines data"
    pass
done
not_contains out "MISMATCH"
contains out "unknown: the store has no deadlines data"
NOB=$WORK/nob.gpkg
rm -f "$NOB"
cmr 0 init --no-boundaries "$NOB"
cmr 0 import "$NOB" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"
cmr 0 indicators "$NOB" --pillar survey-clearance
row 24 | grep -qE ' +-$' || fail "24: not '-' without boundaries"
pass
contains out "unknown: no boundaries in the store (cmr init --boundaries)"

# 3. One State's records: the value counts that State alone and says so
#    ("N of M"), and 9 reported is within reach: no MISMATCH. The worked
#    example's hazards do not say whether they are marked: 18b unknown.
LAO=$WORK/lao.gpkg
fresh_store "$LAO"
cmr 0 import "$LAO" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"
cmr 0 indicators "$LAO" --pillar survey-clearance
for id in 21b 24; do
    row "$id" | grep -qE ' [01] of 1$' || fail "$id: not 'N of 1': $(row "$id")"
    pass
done
not_contains out "MISMATCH"
contains out "N of M: N States count, of the M whose data in the store decide the indicator;"
contains out "decided for 1 of the 10 States in the store (LAO): the others have no record at 2024-12-31"
row 18b | grep -qE ' +-$' || fail "18b: not unknown"
pass
contains out "says whether it is marked"

# 4. Synthetic values: the word SYNTHETIC, not '*', which the report's own
#    cells carry (9b "61*", 39a "14*"), kept as printed; CSV and JSON flag
#    them apart.
rm -f "$WORK/syn.gpkg"
"$CMR" synth --country LBN --seed 3 -o "$WORK/syn.gpkg" >/dev/null 2>&1 ||
    fail "cmr synth"
SYN=$WORK/synstore.gpkg
fresh_store "$SYN"
cmr 0 import "$SYN" --hazards "$WORK/syn.gpkg" --hazards-layer hazards \
    --releases "$WORK/syn.gpkg" --releases-layer releases
cmr 0 indicators "$SYN"
row 18b | grep -qE ' 1 of 1 SYNTHETIC$' || fail "18b: not flagged SYNTHETIC: $(row 18b)"
pass
row 9b | grep -qF ' 61* ' || fail "9b: the printed 61* is not as printed"
pass
row 39a | grep -qF ' 14* ' || fail "39a: the printed 14* is not as printed"
pass
contains out "SYNTHETIC: computed from generated records (cmr synth)"
not_contains out "* SYNTHETIC"
grep -E '^[0-9]+[a-z]? ' "$WORK/out" | grep -qE '[0-9] of [0-9]+\*|[0-9]\* *(MISMATCH)? *$' &&
    fail "a computed value marked '*'"
pass
cmr 0 indicators "$SYN" --format csv
equals "CSV: 18b synthetic, 9b not" "1 0" \
    "$(awk -F, '$1 == "18b" { a = $12 } $1 == "9b" { b = $12 } END { print a, b }' "$WORK/out")"
cmr 0 indicators "$SYN" --format json
python3 - "$WORK/out" <<'EOF' || fail "JSON: synthetic not flagged apart"
import json, sys
x = {i["id"]: i for i in json.load(open(sys.argv[1]))}
assert x["18b"]["synthetic"] is True and x["18b"]["computed"] == 1
assert x["9b"]["synthetic"] is False and x["9b"]["printed"]["11MSP"] == "61*"
EOF
pass

# 5. Every pillar whole (national-implementation was cut to 22 characters,
#    a name --pillar refuses), and taken back by --pillar; the columns
#    line up, a cell such as "01²" (two bytes for one character) too.
cmr 0 indicators "$EMPTY"
cp "$WORK/out" "$WORK/all.txt"
contains out "national-implementation "
pillars=$(awk '/^[0-9]/ { print $2 }' "$WORK/all.txt" | sort -u)
equals "pillars" 11 "$(printf '%s\n' "$pillars" | wc -l)"
for p in $pillars; do
    cmr 0 indicators "$EMPTY" --pillar "$p"
done
equals "rows of one width" "1" "$(python3 -c 'import sys
rows = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
rows = [l for l in rows if l[:1].isdigit()]
print(len({len(l) for l in rows}))' "$WORK/all.txt")"

# 18b decides a State only by its open hazards: one whose hazards are all
# closed has nothing to mark (a review found such a State counted "decided,
# not marked"), so with no other State 18b is unknown; with a synthetic
# State deciding alone, the value is flagged SYNTHETIC even at 0.
printf '%s\n' 'id,country,class,recorded,closed,marked,geom' \
    'C-1,LAO,CHA,2012-01-01,2020-01-01,0,"POLYGON((103 19,103.01 19,103.01 19.01,103 19))"' \
    >"$WORK/closed.csv"
fresh_store "$WORK/closed.gpkg"
cmr 0 import "$WORK/closed.gpkg" --hazards "$WORK/closed.csv" --assume-crs EPSG:4326
cmr 0 indicators "$WORK/closed.gpkg" --format json
python3 - "$WORK/out" <<'EOF' || fail "18b: a State without open hazards decided it"
import json, sys
x = {i["id"]: i for i in json.load(open(sys.argv[1]))}["18b"]
assert x["computed"] is None, x
assert x["covered_states"] == [], x
assert "no open hazard" in x["detail"], x
EOF
rm -f "$WORK/lbn_syn.gpkg"
cmr 0 synth --country LBN --seed 2 -o "$WORK/lbn_syn.gpkg"
ogrinfo -q "$WORK/lbn_syn.gpkg" -sql "UPDATE hazards SET marked = 0" >/dev/null ||
    fail "cannot edit $WORK/lbn_syn.gpkg"
fresh_store "$WORK/unmarked.gpkg"
cmr 0 import "$WORK/unmarked.gpkg" --hazards "$WORK/lbn_syn.gpkg" --hazards-layer hazards \
    --releases "$WORK/lbn_syn.gpkg" --releases-layer releases
cmr 0 indicators "$WORK/unmarked.gpkg" --format json
python3 - "$WORK/out" <<'EOF' || fail "18b: 0 decided by synthetic records alone is not flagged"
import json, sys
x = {i["id"]: i for i in json.load(open(sys.argv[1]))}["18b"]
assert x["computed"] == 0, x
assert x["covered_states"] == ["LBN"], x
assert x["synthetic"] is True, x
EOF
pass

finish
