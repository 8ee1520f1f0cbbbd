#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage errors of cmr import exit 2, print the usage and leave the store
# alone: no store path, unknown option, malformed --map/--value, unknown
# canonical field, unknown preset name.
. "$(dirname "$0")/lib.sh"

DB=$WORK/store.gpkg
HZ=$FIX/hazards.geojson
fresh_store "$DB"
cp "$DB" "$WORK/before.gpkg"

# usage TEXT ARGS...: cmr ARGS... exits 2 with TEXT and the usage.
usage() {
    local text=$1
    shift
    cmr 2 "$@"
    contains err "$text"
    contains err "usage: cmr"
    equals "no stdout for: $*" "" "$(cat "$WORK/out")"
    same_bytes "$DB" "$WORK/before.gpkg"
}

usage "expected one store path" import --hazards "$HZ"
usage "expected one store path" import "$DB" "$WORK/other.gpkg" --hazards "$HZ"
usage "expected one store path" import
usage "the store path is empty" status ""
usage "the store path is empty" check ""
usage "nothing to import" import "$DB"
usage "cmr: import: unknown option '--bogus', or it needs a value" \
    import "$DB" --hazards "$HZ" --bogus
not_contains err "unrecognized option" # getopt's own message is off
usage "cmr: import: unknown option '--hazards', or it needs a value" \
    import "$DB" --hazards
usage "cmr: status: unknown option '-Z', or it needs a value" status "$DB" -Z
# a bad --at or --country of the ledger's commands is a usage error too
usage "cmr: status: --at 2024-02-30: not a date" status "$DB" --at 2024-02-30
usage "cmr: check: --at abc: not a date" check "$DB" --at abc
usage "cmr: status: unknown State 'XXX'" status "$DB" --country XXX
cmr 2 evaluate "$DB" --country XXX
contains err "cmr: evaluate: unknown State 'XXX'"
cmr 2 import "$DB" --hazards "$HZ" --country FRA
contains err "cmr: import: --country FRA: not a State the store knows"
usage "cmr: evaluate: --at 2020-02-30: not a date" evaluate "$DB" --country SOM --at 2020-02-30
usage "cmr: forecast: --at 2020-13-01: not a date" forecast "$DB" --at 2020-13-01
usage "cmr: map: --at 2020-1-1: not a date" map "$DB" --country LAO -o "$WORK/m.png" --at 2020-1-1
rm -rf "$WORK/rep"
usage "cmr: report: --at tomorrow: not a date" report "$DB" -o "$WORK/rep" --at tomorrow
[ ! -e "$WORK/rep" ] || fail "report left $WORK/rep behind"
usage "--map recorded: expected [KIND.]FIELD=COLUMN" \
    import "$DB" --hazards "$HZ" --map recorded
usage "--map =x: expected" import "$DB" --hazards "$HZ" --map =x
usage "--map recorded=: expected" import "$DB" --hazards "$HZ" --map recorded=
usage "unknown canonical field 'colour'" \
    import "$DB" --hazards "$HZ" --map colour=x
usage "unknown canonical field 'method' for hazards" \
    import "$DB" --hazards "$HZ" --map hazards.method=x
usage "--value class=SHA: expected [KIND.]FIELD:SOURCE=CANONICAL" \
    import "$DB" --hazards "$HZ" --value class=SHA
usage "--value class:S: expected" import "$DB" --hazards "$HZ" --value class:S
usage "--value :S=SHA: expected" import "$DB" --hazards "$HZ" --value :S=SHA
usage "--value class:=SHA: expected" \
    import "$DB" --hazards "$HZ" --value class:=SHA
usage "unknown canonical field 'colour'" \
    import "$DB" --hazards "$HZ" --value colour:S=SHA
usage "unknown canonical field 'class'" \
    import "$DB" --hazards "$HZ" --value releases.class:S=SHA
usage "unknown preset 'imsma-core'" \
    import "$DB" --hazards "$HZ" --preset imsma-core
usage "unknown command 'imprt'" imprt "$DB" --hazards "$HZ"
usage "usage: cmr" # no command at all

# A number is written as one: strtol and strtod would skip the leading
# space, and strtoull would take -1 as 2^64 - 1.
usage "--jobs  2: 1 to 256" status "$DB" --jobs " 2"
usage "--jobs 0: 1 to 256" check "$DB" --jobs 0
usage "--tolerance  0.1: a fraction" check "$DB" --tolerance " 0.1"
usage "--seed -1: a whole number" synth --seed -1 -o "$WORK/s.gpkg"
usage "--hazards  5: a count" synth --hazards " 5" -o "$WORK/s.gpkg"
usage "--scale and --hazards: one or the other" synth --scale 2 --hazards 5 -o "$WORK/s.gpkg"
usage "--window" forecast "$DB" --window " 3"
usage "--seed" forecast "$DB" --seed -1
usage "--seed" forecast "$DB" --seed 99999999999999999999999
usage "--tolerance 0x1p-3: a fraction" check "$DB" --tolerance 0x1p-3
usage "--size" map "$DB" --country LAO --size " 800x600" -o "$WORK/m.png"
test ! -e "$WORK/s.gpkg" && test ! -e "$WORK/m.png" || fail "a file was written"
# --size WxH is taken (a review found every value refused) and gives an
# image of that many pixels (a PNG's width and height, bytes 17 to 24).
cmr 0 map "$DB" --country LAO --size 800x600 -o "$WORK/m.png"
[ "$(od -An -tx1 -j16 -N8 "$WORK/m.png" | tr -d ' \n')" = 0000032000000258 ] ||
  fail "map --size 800x600: not an 800x600 PNG"
cmr 0 chart "$DB" --country LAO --kind burndown --size 640X400 -o "$WORK/c.png"
[ "$(od -An -tx1 -j16 -N8 "$WORK/c.png" | tr -d ' \n')" = 0000028000000190 ] ||
  fail "chart --size 640X400: not a 640x400 PNG"
usage "--size" chart "$DB" --country LAO --kind burndown --size 640x+400 -o "$WORK/c2.png"
usage "--size" chart "$DB" --country LAO --kind burndown --size 199x400 -o "$WORK/c2.png"
# below the least size the layout cannot hold (scale bars read "nan km", the
# legend ran over the credits): refused, naming it (render.h)
usage "--size 600x400: a map needs at least 800x600" \
    map "$DB" --country all --size 600x400 -o "$WORK/m2.png"
usage "--size 800x599: a map needs at least 800x600" \
    map "$DB" --country LAO --size 800x599 -o "$WORK/m2.png"
usage "--size 639x400: a chart needs at least 640x400" \
    chart "$DB" --country LAO --kind release --size 639x400 -o "$WORK/c2.png"
usage "--size 0x400: WxH, from 640x400 to 20000x20000" \
    chart "$DB" --country LAO --kind release --size 0x400 -o "$WORK/c2.png"
test ! -e "$WORK/m2.png" && test ! -e "$WORK/c2.png" || fail "a file was written"
pass

# --help is not an error.
cmr 0 import --help
contains out "usage: cmr import DB"
contains out "--assume-crs"

# cmr chart names every option it takes, in its usage and in README's
# synopsis (--capacity and --discovery were taken, and named in the
# burn-down's subtitle, but listed in neither)
cmr 0 chart --help
awk '/^    cmr chart DB/ { on = 1 } /^    cmr report DB/ { on = 0 } on' \
    "$CMR_SRC/README.md" >"$WORK/chart-synopsis"
for opt in --at --size --method --window --runs --seed --capacity \
    --discovery --series; do
    contains out "[$opt "
    contains "$WORK/chart-synopsis" "[$opt "
done
contains out "--capacity X     scale past release"
contains out "--discovery M2   new contamination a year"

# So do cmr report and cmr forecast (the report took --capacity,
# --discovery and --series, forecast --jobs, unlisted), with one text of
# the projection's options for every command that takes them.
cmr 0 report --help
awk '/^    cmr report DB/ { on = 1 } /^$/ { on = 0 } on' \
    "$CMR_SRC/README.md" >"$WORK/report-synopsis"
for opt in --at --method --window --runs --seed --capacity --discovery \
    --series; do
    contains out "[$opt "
    contains out "  $opt "
    contains "$WORK/report-synopsis" "[$opt "
done
cp "$WORK/out" "$WORK/report-help"
cmr 0 forecast --help
contains out "[--jobs N]"
contains out "  --jobs N "
awk '/^    cmr forecast DB/ { on = 1 } /^$/ { on = 0 } on' \
    "$CMR_SRC/README.md" >"$WORK/forecast-synopsis"
contains "$WORK/forecast-synopsis" "[--jobs N]"
sed -n '/^  --method M/,$p' "$WORK/report-help" >"$WORK/report-options"
equals "the projection's options, in report --help" 7 \
    "$(grep -c '^  --' "$WORK/report-options")"
for cmd in forecast evaluate chart; do
    cmr 0 "$cmd" --help
    sed -n '/^  --method M/,$p' "$WORK/out" >"$WORK/$cmd-options"
    same_text "$WORK/report-options" "$WORK/$cmd-options"
done

finish
