#!/usr/bin/env bash
# Benchmark: cmr's ledger against PostGIS on the same synthetic data in the
# same run.
#   scripts/bench.sh [--dense | --clusters] [--jobs N] [--timeout SECONDS]
#                    [--repeat R] [--no-postgis] N
# generates about N hazards and N/2 releases with `cmr synth`, imports them,
# times `cmr status --by province` and `cmr check` (wall time and peak
# memory; each timed R times, by default 7 up to 30k and 3 above, and the
# median reported), then
# loads the same layers into a throwaway PostgreSQL/PostGIS
# cluster on loopback (started and stopped here, as the postgres user) and
# times the same areas there: ST_Union of hazards per State, ST_Union of
# releases per method, ST_Difference in precedence order, ST_Area on
# geography, also R times (median). A query still running at the time bound
# is killed and reported as "did not finish in T".
# Each ratio is given twice: of the medians, and pair by pair (the median of
# the ratios of runs made back to back: all cores then one thread; cmr then
# PostGIS, cmr run again beside each PostGIS run), which a slow or fast
# spell of the machine between the two series does not move.
#
# --clusters: clusters of twenty mutually overlapping hazards, which --dense
# (about nineteen hazards inside a twentieth) does not give: `cmr synth`
# makes about N/20 hazards (and its releases), and PostGIS derives from each of
# them twenty scaled and shifted copies (and ten of each release, dated
# after every hazard, so that the dates, which PostGIS's query ignores, do
# not matter), with a fixed seed; the invalid copies of bow-ties are
# dropped, and both sides read the same records. Where PostGIS's overlay fails on them (GEOS
# TopologyException), it is run again with a grid size of 1e-9 degree.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dense=""
clusters=""
jobs=""
limit=900
repeat=""
postgis=1
while [ $# -gt 1 ]; do
  case "$1" in
    --dense) dense=--dense; shift ;;
    --clusters) clusters=1; shift ;;
    --jobs) jobs="--jobs $2"; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --no-postgis) postgis=""; shift ;;
    *) echo "usage: scripts/bench.sh [--dense | --clusters] [--jobs N] [--timeout S] [--repeat R] [--no-postgis] N" >&2; exit 2 ;;
  esac
done
n=${1:?usage: scripts/bench.sh [--dense | --clusters] [--jobs N] [--timeout S] [--repeat R] [--no-postgis] N}
# by default the median of seven runs up to 30k (a run of cmr takes under
# a fifth of a second there, and the machine's noise is most of the
# spread), of three above
if [ -z "$repeat" ]; then
  case "$n" in *[!0-9]*) repeat=3 ;; *) if [ "$n" -le 30000 ]; then repeat=7; else repeat=3; fi ;; esac
fi
case "$repeat" in ''|*[!0-9]*|0) echo "bench.sh: --repeat needs a positive number" >&2; exit 2 ;; esac
if [ -n "$clusters" ] && { [ -n "$dense" ] || [ -z "$postgis" ]; }; then
  echo "bench.sh: --clusters needs PostGIS (it derives the data) and not --dense" >&2; exit 2
fi

source scripts/deps.sh
deps_install test
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }

cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build "$root/build-bench" -j "$(nproc)" >/dev/null
cmr="$root/build-bench/src/cmr"

work=$(mktemp -d /tmp/cmr-bench.XXXXXX)
chmod 755 "$work"
cleanup() {
  if [ -f "$work/pg/postmaster.pid" ]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# median: the middle of the numbers on stdin (the mean of the two middle
# ones for an even count).
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# run_once LABEL CMD...: one timed run, its wall seconds appended to
# LABEL.times and its peak resident memory (KB) to LABEL.kb.
run_once() {
  local label=$1; shift
  local t0 t1 kb
  # wall time to the millisecond, from the shell (time's %e cuts it to
  # hundredths); time itself adds about a millisecond
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$work/time" "$@" >"$work/$label.out" 2>"$work/$label.err" || {
    echo "$label failed:"; tail -5 "$work/$label.err"; exit 1; }
  t1=$EPOCHREALTIME
  read -r kb <"$work/time"
  printf "%.3f\n" "$(echo "$t1 - $t0" | bc)" >>"$work/$label.times"
  echo "$kb" >>"$work/$label.kb"
}

# pair_median A B: the median of file B's times over file A's, line by line (each pair
# run back to back, so that the machine's slow and fast spells, which last
# seconds to minutes here, fall on both runs of a pair and cancel)
pair_median() {
  paste -d' ' "$1" "$2" |
    awk '$1 > 0 { printf "%.6f\n", $2 / $1 }' | median
}

# report LABEL: prints the median wall seconds and the largest peak memory
# of LABEL's runs, sets t_LABEL, and leaves "SECONDS PEAK_KB" in $work/time.
report() {
  local label=$1 secs peak_kb n
  secs=$(median <"$work/$label.times")
  peak_kb=$(sort -g "$work/$label.kb" | tail -1)
  n=$(wc -l <"$work/$label.times")
  printf "%-28s %8.3f s %8.0f MB%s\n" "$label" "$secs" "$((peak_kb / 1024))" \
    "$([ "$n" -gt 1 ] && echo "   (median of $n: $(sort -g "$work/$label.times" | tr '\n' ' '| sed 's/ $//'))")"
  eval "t_${label//[^a-z0-9]/_}=$secs"
  echo "$secs $peak_kb" >"$work/time"
}

# measure LABEL CMD...: wall seconds (median of $repeat runs) and peak
# resident memory (MB, the largest of the runs).
measure() {
  local label=$1 i; shift
  : >"$work/$label.times"; : >"$work/$label.kb"
  for ((i = 0; i < repeat; i++)); do
    run_once "$label" "$@"
  done
  report "$label"
}

# A throwaway PostgreSQL/PostGIS cluster on loopback, started once.
pgbin=/usr/lib/postgresql/15/bin
# a free port (one a server already listens on is skipped)
port=$((54000 + RANDOM % 900))
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
  port=$((54000 + RANDOM % 900))
done
pgconn="PG:host=127.0.0.1 port=$port user=postgres dbname=bench"
psql() { command psql -h 127.0.0.1 -p "$port" -U postgres -d bench -v ON_ERROR_STOP=1 -qAt "$@"; }
pg_start() {
  [ -f "$work/pg/postmaster.pid" ] && return 0
  mkdir -p "$work/pg" "$work/sock" && chown postgres "$work/pg" "$work/sock"
  runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/sock/log" -w \
    -o "-p $port -k $work/sock -c listen_addresses=127.0.0.1 -c work_mem=512MB" start >/dev/null
  command createdb -h 127.0.0.1 -p "$port" -U postgres bench
  psql -c "CREATE EXTENSION postgis" >/dev/null
}

echo "cmr benchmark: $n hazards ${dense:+(dense clusters)}${clusters:+(mutually overlapping clusters)} on $(nproc) cores"
repeat_all=$repeat
repeat=1
hl=hazards rl=releases
if [ -n "$clusters" ]; then
  measure synth "$cmr" synth --hazards "$(((n + 19) / 20))" -o "$work/base.gpkg"
  head -1 "$work/synth.out"
  pg_start
  ogr2ogr -f PostgreSQL "$pgconn" "$work/base.gpkg" hazards releases \
    -lco GEOMETRY_NAME=geom -nlt PROMOTE_TO_MULTI >/dev/null
  psql >/dev/null 2>"$work/derive.err" <<'SQL' || { echo "deriving the clusters failed:"; grep -v NOTICE "$work/derive.err" | tail -5; exit 1; }
SELECT setseed(0.42);
-- g scaled by s about its centre, and shifted at random by up to 0.4 of
-- its width each way
CREATE FUNCTION copy_of(g geometry, s float8) RETURNS geometry AS $$
  SELECT ST_Multi(ST_Translate(ST_Scale(ST_Translate(g, -ST_X(c), -ST_Y(c)), s, s),
           ST_X(c) + (random() - 0.5) * 0.8 * w,
           ST_Y(c) + (random() - 0.5) * 0.8 * w))
  FROM (SELECT ST_Centroid(g) c, ST_XMax(g) - ST_XMin(g) w) v
$$ LANGUAGE sql VOLATILE;
CREATE TABLE hazard AS
SELECT h.id || '-C' || k AS id, h.country, h.class, h.contamination, h.recorded,
       NULL::date AS closed, NULL::double precision AS reported_area_m2,
       1 AS synthetic, 'benchmark clusters'::text AS calibration,
       copy_of(h.geom, s)::geometry(MultiPolygon, 4326) AS geom
FROM (SELECT * FROM hazards ORDER BY id) h,
     LATERAL (SELECT k, 0.35 + 0.3 * random() s FROM generate_series(1, 20) k
              WHERE h.id IS NOT NULL) q; -- correlated: drawn again per hazard
CREATE TABLE release AS
SELECT h.id || '-R' || k AS id, h.country,
       (ARRAY['cleared', 'reduced', 'cancelled'])[1 + (k % 3)] AS method,
       m.last + k * 30 AS completed, NULL::text AS hazard_id,
       NULL::double precision AS reported_area_m2, NULL::bigint AS submunitions,
       1 AS synthetic, 'benchmark clusters'::text AS calibration,
       copy_of(h.geom, s)::geometry(MultiPolygon, 4326) AS geom
FROM (SELECT * FROM hazards ORDER BY id) h,
     (SELECT max(recorded) AS last FROM hazards) m,
     LATERAL (SELECT k, 0.15 + 0.15 * random() s FROM generate_series(1, 10) k
              WHERE h.id IS NOT NULL) q;
DELETE FROM hazard WHERE NOT ST_IsValid(geom);
DELETE FROM release WHERE NOT ST_IsValid(geom);
CREATE INDEX ON hazard USING gist (geom);
CREATE INDEX ON release USING gist (geom);
SQL
  ogr2ogr -f GPKG "$work/syn.gpkg" "$pgconn" hazard release >/dev/null
  hl=hazard rl=release
  echo "derived $(psql -c "SELECT count(*) FROM hazard") hazards and $(psql -c "SELECT count(*) FROM release") releases (SYNTHETIC)"
else
  measure synth "$cmr" synth --hazards "$n" $dense -o "$work/syn.gpkg"
  head -1 "$work/synth.out"
fi
"$cmr" init "$work/store.gpkg" >/dev/null
measure import "$cmr" import "$work/store.gpkg" --hazards "$work/syn.gpkg" \
  --hazards-layer "$hl" --releases "$work/syn.gpkg" --releases-layer "$rl"
verts=$(ogrinfo -q -dialect SQLite -sql "SELECT SUM(ST_NPoints(geom)) FROM hazard" "$work/store.gpkg" | awk -F'= ' '/=/{print $2}')
rverts=$(ogrinfo -q -dialect SQLite -sql "SELECT SUM(ST_NPoints(geom)) FROM release" "$work/store.gpkg" | awk -F'= ' '/=/{print $2}')
echo "input vertices: $verts in hazards, $rverts in releases"
repeat=$repeat_all
# the peak memory of status and check (the larger)
peak=0
# status on all the cores and on one, run in turns, so that a slow spell of
# the machine falls on both and their ratio holds
: >"$work/status.times"; : >"$work/status.kb"
: >"$work/status_1job.times"; : >"$work/status_1job.kb"
# CMR_TIMING: each run also prints the ledger's own wall time (the part
# the cores share), apart from the program's start, the LAP model, the
# output and the exit, which one thread does whatever the cores
: >"$work/status.ledger"; : >"$work/status_1job.ledger"
export CMR_TIMING=1
for ((i = 0; i < repeat; i++)); do
  run_once status "$cmr" status "$work/store.gpkg" --by province $jobs
  awk '/timing: ledger/ { print $5 }' "$work/status.err" >>"$work/status.ledger"
  run_once status_1job "$cmr" status "$work/store.gpkg" --by province --jobs 1
  awk '/timing: ledger/ { print $5 }' "$work/status_1job.err" >>"$work/status_1job.ledger"
done
unset CMR_TIMING
report status
peak=$(awk -v p="$peak" '{ print ($2 > p ? $2 : p) }' "$work/time")
report status_1job
l_all=$(median <"$work/status.ledger")
l_one=$(median <"$work/status_1job.ledger")
printf "cores: all / one thread = %.2fx for the whole run, %.2fx for the ledger alone (%.4f s against %.4f s, medians)\n" \
  "$(echo "$t_status_1job / $t_status" | bc -l)" "$(echo "$l_one / $l_all" | bc -l)" "$l_all" "$l_one"
printf "cores, pair by pair: all / one thread = %.2fx for the whole run, %.2fx for the ledger alone (medians of the %d pairs run back to back)\n" \
  "$(pair_median "$work/status.times" "$work/status_1job.times")" \
  "$(pair_median "$work/status.ledger" "$work/status_1job.ledger")" "$repeat"
measure check "$cmr" check "$work/store.gpkg" $jobs
peak=$(awk -v p="$peak" '{ print ($2 > p ? $2 : p) }' "$work/time")
"$cmr" status "$work/store.gpkg" --format csv |
  awk -F, 'NR > 1 { printf "  %s remaining %.3f km2 (cleared %.3f, reduced %.3f, cancelled %.3f)\n", $1, $7 / 1e6, $14 / 1e6, $13 / 1e6, $12 / 1e6 }' > "$work/cmr-remaining.txt"

# what cmr holds with no data at all (its code, libraries and buffers:
# the larger of status and check on an empty store, as peak is the larger
# of the two), so that the memory the data take can be given per vertex
# on its own
"$cmr" init "$work/empty.gpkg" >/dev/null
empty_kb=0
for c in status check; do
  /usr/bin/time -f "%M" -o "$work/time" "$cmr" "$c" "$work/empty.gpkg" $jobs >/dev/null
  read -r kb <"$work/time"
  [ "$kb" -gt "$empty_kb" ] && empty_kb=$kb
done
peak_line="cmr peak memory: $((peak / 1024)) MB for $verts + $rverts vertices ($(echo "$peak * 1024 / ($verts + $rverts)" | bc) bytes per vertex; $(echo "($peak - $empty_kb) * 1024 / ($verts + $rverts)" | bc) above the $((empty_kb / 1024)) MB of a run on an empty store)"
if [ -z "$postgis" ]; then
  echo "$peak_line"
  echo "(PostGIS skipped)"; exit 0
fi
echo "== PostGIS"
pg_start
[ -n "$clusters" ] ||
  ogr2ogr -f PostgreSQL "$pgconn" \
    "$work/store.gpkg" hazard release -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST >/dev/null
# One union per layer and one difference per State, in the precedence order
# cmr uses (cleared over reduced over cancelled), areas on the ellipsoid.
# @G@ stands after the last argument of every overlay: nothing, or a grid
# size (--clusters, after a failure).
cat >"$work/ledger.sql.in" <<'SQL'
SET statement_timeout = 0;
WITH h AS MATERIALIZED (SELECT country, ST_Union(geom@G@) AS g FROM hazard
           WHERE contamination = 'CMR' GROUP BY country),
     c AS MATERIALIZED (SELECT country, ST_Union(geom@G@) AS g FROM release
           WHERE method = 'cleared' GROUP BY country),
     r AS MATERIALIZED (SELECT country, ST_Union(geom@G@) AS g FROM release
           WHERE method = 'reduced' GROUP BY country),
     x AS MATERIALIZED (SELECT country, ST_Union(geom@G@) AS g FROM release
           WHERE method = 'cancelled' GROUP BY country),
     cl AS MATERIALIZED (SELECT h.country, h.g AS hz,
                   ST_Intersection(h.g, COALESCE(c.g, ST_GeomFromText('POLYGON EMPTY', 4326))@G@) AS cg
            FROM h LEFT JOIN c USING (country)),
     rd AS MATERIALIZED (SELECT cl.*, ST_Difference(ST_Intersection(hz, COALESCE(r.g, ST_GeomFromText('POLYGON EMPTY', 4326))@G@), cg@G@) AS rg
            FROM cl LEFT JOIN r USING (country)),
     cn AS MATERIALIZED (SELECT rd.*, ST_Difference(ST_Difference(ST_Intersection(hz, COALESCE(x.g, ST_GeomFromText('POLYGON EMPTY', 4326))@G@), cg@G@), rg@G@) AS xg
            FROM rd LEFT JOIN x USING (country))
SELECT country,
       round((ST_Area(ST_Difference(ST_Difference(ST_Difference(hz, cg@G@), rg@G@), xg@G@)::geography) / 1e6)::numeric, 3),
       round((ST_Area(cg::geography) / 1e6)::numeric, 3),
       round((ST_Area(rg::geography) / 1e6)::numeric, 3),
       round((ST_Area(xg::geography) / 1e6)::numeric, 3)
FROM cn ORDER BY country;
SQL
sed 's/@G@//g' "$work/ledger.sql.in" >"$work/ledger.sql"
# run_pg: times ledger.sql $repeat times (rc: psql's exit status), each
# run just after one of cmr status (as above, all the cores), for the
# ratio pair by pair
run_pg() {
rc=0
: >"$work/postgis.times"; : >"$work/status_pg.times"; : >"$work/status_pg.kb"
for ((i = 0; i < repeat && rc == 0; i++)); do
  run_once status_pg "$cmr" status "$work/store.gpkg" --by province $jobs
  start=$EPOCHREALTIME
  timeout --signal=KILL "$limit" /usr/bin/psql -h 127.0.0.1 -p "$port" -U postgres -d bench -v ON_ERROR_STOP=1 -qAt -f "$work/ledger.sql" >"$work/postgis.out" 2>"$work/postgis.err" || rc=$?
  end=$EPOCHREALTIME
  echo "$end - $start" | bc >>"$work/postgis.times"
done
}
run_pg
if [ -n "$clusters" ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 137 ]; then
  printf "%-28s failed after %.3f s: %s\n" "postgis ledger" \
    "$(tail -1 "$work/postgis.times")" "$(grep -m1 -o 'TopologyException.*' "$work/postgis.err" || tail -1 "$work/postgis.err")"
  echo "  again with a grid size of 1e-9 degree in every union, intersection and difference:"
  sed 's/@G@/, 1e-9/g' "$work/ledger.sql.in" >"$work/ledger.sql"
  run_pg
fi
if [ "$rc" -eq 0 ]; then
  t_pg=$(median <"$work/postgis.times")
  printf "%-28s %8.3f s%s\n" "postgis ledger" "$t_pg" \
    "$([ "$repeat" -gt 1 ] && echo "               (median of $repeat: $(sort -g "$work/postgis.times" | awk '{ printf "%s%.3f", (NR > 1 ? " " : ""), $1 }'))")"
  awk -F'|' '{printf "  %s remaining %s km2 (cleared %s, reduced %s, cancelled %s)\n", $1, $2, $3, $4, $5}' "$work/postgis.out"
  echo "cmr:"
  cat "$work/cmr-remaining.txt"
  printf "ratio: PostGIS / cmr status = %.1fx (cmr %s s, jobs %s; PostGIS %.3f s)\n" \
    "$(echo "$t_pg / $t_status" | bc -l)" "$t_status" "$(j=${jobs#--jobs }; echo "${j:-all}")" "$t_pg"
  printf "ratio, pair by pair: PostGIS / cmr status = %.1fx (median of the %d pairs run back to back; cmr's runs beside PostGIS's: %s)\n" \
    "$(pair_median "$work/status_pg.times" "$work/postgis.times")" "$repeat" \
    "$(sort -g "$work/status_pg.times" | tr '\n' ' ' | sed 's/ $//')"
elif [ "$rc" -eq 137 ]; then
  echo "postgis ledger: did not finish in ${limit} s (killed)"
  printf "ratio: PostGIS / cmr status > %.1fx (cmr %s s)\n" "$(echo "$limit / $t_status" | bc -l)" "$t_status"
else
  echo "postgis ledger failed (exit $rc):"; tail -5 "$work/postgis.err"; exit 1
fi
echo "$peak_line"
