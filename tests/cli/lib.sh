# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Sourced by every CLI test script. The environment (set by CTest, see
# CMakeLists.txt): CMR (the program), CMR_SRC (the source tree), CMR_FIX
# (what make_fixtures.sh wrote) and CMR_WORK (this script's own scratch
# directory, emptied here).
#
# Every helper that checks something counts one check; the first failed
# check ends the script with a message naming it. A script ends with
# `finish`, which prints "N passed, 0 failed".
set -euo pipefail

: "${CMR:?CMR: the cmr program}" "${CMR_SRC:?}"
: "${CMR_FIX:?CMR_FIX: the fixtures directory}" "${CMR_WORK:?}"

TEST_NAME=$(basename "$0" .sh)
# Used by the scripts that source this file.
# shellcheck disable=SC2034
{
    FIX=$CMR_FIX
    DATA=$CMR_SRC/tests/cli/data
    GOLDEN=$CMR_SRC/tests/cli/golden
    LEDGER=$CMR_SRC/tests/data/ledger-example
    # Runs of hazards and releases only (a store holds runs of other kinds).
    RECORD_RUNS="kind IN ('hazards', 'releases')"
}
WORK=$CMR_WORK
PASSED=0
SKIPPED=0
export PROJ_NETWORK=OFF

rm -rf "$WORK"
mkdir -p "$WORK"
: >"$WORK/out"
: >"$WORK/err"

# Shorthands: "out" and "err" name the last run's captured streams.
_file() {
    case $1 in
    out | err) printf '%s/%s' "$WORK" "$1" ;;
    *) printf '%s' "$1" ;;
    esac
}

_show() {
    local f
    for f in out err; do
        if [ -s "$WORK/$f" ]; then
            printf -- '--- last std%s:\n' "$f" >&2
            head -c 4000 "$WORK/$f" >&2
        fi
    done
}

fail() {
    printf '%s: FAIL: %s\n' "$TEST_NAME" "$*" >&2
    _show
    printf '%d passed, 1 failed\n' "$PASSED"
    exit 1
}

pass() { PASSED=$((PASSED + 1)); }

skip() {
    SKIPPED=$((SKIPPED + 1))
    printf '%s: skipped: %s\n' "$TEST_NAME" "$*"
}

# run EXPECTED_EXIT CMD...: runs CMD with stdout and stderr captured in
# $WORK/out and $WORK/err; fails unless it exits with EXPECTED_EXIT.
run() {
    local want=$1 got=0
    shift
    "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
    [ "$got" -eq "$want" ] ||
        fail "expected exit $want, got $got: $*"
    pass
}

# cmr EXPECTED_EXIT ARGS...: run with the program under test.
cmr() {
    local want=$1
    shift
    run "$want" "$CMR" "$@"
}

# contains FILE TEXT: FILE (or out/err) holds TEXT (a fixed string).
contains() {
    grep -qF -- "$2" "$(_file "$1")" ||
        fail "$1 lacks '$2'"
    pass
}

not_contains() {
    if grep -qF -- "$2" "$(_file "$1")"; then
        fail "$1 has '$2' but should not"
    fi
    pass
}

# same_bytes A B: the files are byte for byte the same.
same_bytes() {
    cmp -s "$1" "$2" || fail "$1 differs from $2 (cmp: $(cmp "$1" "$2" 2>&1))"
    pass
}

# equals WHAT EXPECTED ACTUAL
equals() {
    [ "$2" = "$3" ] ||
        fail "$1: expected '$2', got '$3'"
    pass
}

# same_text EXPECTED_FILE ACTUAL_FILE: diff -u.
same_text() {
    diff -u "$1" "$2" >&2 || fail "$2 differs from $1 (diff above)"
    pass
}

# readme_example 'cmr ARGS' FILE: the output that README.md shows under
# "    $ cmr ARGS" (its indented lines up to the next blank line or command,
# unindented) must be FILE's text, so that README's example is this test's
# golden and cannot drift from what cmr prints.
readme_example() {
    awk -v cmd="    \$ $1" '
        $0 == cmd { on = 1; found = 1; next }
        on && (/^$/ || /^    \$ /) { on = 0 }
        on { print substr($0, 5) }
        END { exit !found }' "$CMR_SRC/README.md" >"$WORK/readme.example" ||
        fail "README.md has no example '\$ $1'"
    same_text "$WORK/readme.example" "$2"
}

# fresh_store PATH: a new, empty store.
fresh_store() {
    rm -f "$1"
    "$CMR" init "$1" >"$WORK/out" 2>"$WORK/err" || fail "cmr init $1"
}

# sql DB QUERY: prints the rows (sqlite3, '|' between columns).
sql() {
    sqlite3 -batch "$1" "$2" || fail "sqlite3 $1: $2"
}

# bbox DB TABLE: "minx miny maxx maxy" of the table's geometries, 6 decimals.
bbox() {
    ogrinfo -q "$1" -sql "SELECT printf('%.6f %.6f %.6f %.6f', \
MIN(ST_MinX(geom)), MIN(ST_MinY(geom)), MAX(ST_MaxX(geom)), \
MAX(ST_MaxY(geom))) AS bbox FROM \"$2\"" |
        sed -n 's/^ *bbox (String) = //p'
}

# next_run DB: the run number the next import into DB will get.
next_run() {
    echo $(($(sql "$1" "SELECT COALESCE(MAX(run), 0) FROM import_run") + 1))
}

# last_run: the run number the last import printed.
last_run() {
    sed -n 's/^import run \([0-9][0-9]*\) recorded in .*/\1/p' "$WORK/out"
}

finish() {
    if [ "$SKIPPED" -gt 0 ]; then
        printf '%d passed, 0 failed (%d skipped)\n' "$PASSED" "$SKIPPED"
    else
        printf '%d passed, 0 failed\n' "$PASSED"
    fi
}
