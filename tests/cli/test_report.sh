#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `cmr report` as its reader sees it: the findings in report.pdf (read back
# with pdftotext, from poppler-utils) on synthetic stores of Lebanon, one
# plain and one dense (cmr synth); a store without boundaries (the maps
# left out, saying why); the States index.html lists, as cmr forecast
# does, in a store of Lao PDR's records and the published figures; the
# burn-down chart's label of a deadline extended to a date the data lacks;
# the small multiples of a store with some States' boundaries only.
. "$(dirname "$0")/lib.sh"

# margins_even PDF: on every page, what is drawn (the footer aside) keeps
# at least 20 pt from both sides: a map's or a chart's page, scaled to the
# height above the footer, had all the width it left on the right, and
# its frame 6 pt from the left edge (pdftoppm at 36 dpi, 2 pt a pixel).
# (The ink's two margins cannot be asked to be equal: a chart's legend
# and a text page's ragged lines leave more on the right.)
margins_even() {
    rm -f "$WORK"/margin-*.pgm
    pdftoppm -r 36 -gray "$1" "$WORK/margin" || fail "pdftoppm $1"
    python3 - "$WORK"/margin-*.pgm <<'PY' || fail "$1: a page drawn against its edge"
import re, sys
bad = False
for f in sys.argv[1:]:
    d = open(f, 'rb').read()
    # P5, width, height, maxval, then one white-space byte and the pixels
    m = re.match(rb'P5\s+(\d+)\s+(\d+)\s+(\d+)\s', d)
    w, h = int(m.group(1)), int(m.group(2))
    data = d[m.end():]
    # ink above the footer's band (the last 20 pixels)
    xs = [x for x in range(w) if any(data[y * w + x] < 250 for y in range(h - 20))]
    if not xs:
        continue
    left, right = xs[0], w - 1 - xs[-1]
    if left < 10 or right < 10:
        print(f"{f}: ink {left * 2} pt from the left edge, {right * 2} pt from the right")
        bad = True
sys.exit(bad)
PY
    pass
}

# pdf_text PDF OUT: the PDF's text on one line (a wrapped line joined to
# the next by a space).
pdf_text() {
    pdftotext "$1" - | tr '\n' ' ' >"$2" || fail "pdftotext $1"
}

# synth_store DB ARGS...: a new store with the records of cmr synth ARGS.
synth_store() {
    local db=$1
    shift
    rm -f "$WORK/synth.gpkg"
    "$CMR" synth "$@" -o "$WORK/synth.gpkg" >/dev/null 2>&1 ||
        fail "cmr synth $*"
    fresh_store "$db"
    cmr 0 import "$db" --hazards "$WORK/synth.gpkg" --hazards-layer hazards \
        --releases "$WORK/synth.gpkg" --releases-layer releases
}

# foot_clear PDF: on every page, the footer ("cmr VERSION - page N") is
# clear of every other word (pdftotext -bbox: the words' boxes).
foot_clear() {
    pdftotext -bbox "$1" - | awk '
        function flush(   i, j, f0, f1, x0, y0, x1, y1) {
            for (i = 4; i < n; i++)
                if (w[i] == "page" && w[i + 1] ~ /^[0-9]+$/ &&
                    w[i - 1] == "-" && w[i - 3] == "cmr") {
                    f0 = i - 3; f1 = i + 1
                }
            # (words run into it break it apart in the reading order)
            if (!f0) { print "page " pg ": no footer apart"; bad = 1; n = 0; return }
            x0 = a[f0]; y0 = b[f0]; x1 = c[f1]; y1 = d[f1]
            for (j = 1; j <= n; j++)
                if ((j < f0 || j > f1) && a[j] < x1 && c[j] > x0 &&
                    b[j] < y1 && d[j] > y0) {
                    print "page " pg ": \"" w[j] "\" under the footer"; bad = 1
                }
            n = 0
        }
        /<page / { pg++; n = 0 }
        /<word / {
            n++
            match($0, /xMin="[0-9.]+"/); a[n] = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /yMin="[0-9.]+"/); b[n] = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /xMax="[0-9.]+"/); c[n] = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /yMax="[0-9.]+"/); d[n] = substr($0, RSTART + 6, RLENGTH - 7) + 0
            t = $0; sub(/^.*">/, "", t); sub(/<\/word>.*$/, "", t); w[n] = t
        }
        /<\/page>/ { flush() }
        END { exit bad }' >"$WORK/foot" || { cat "$WORK/foot" >&2; fail "$1: a footer overlaps"; }
    pass
}

HAVE_PDFTOTEXT=false
command -v pdftotext >/dev/null && HAVE_PDFTOTEXT=true

# 1. The findings in report.pdf: every record of each (Lebanon's 12 hazard
#    overlaps are pairs), and when the list is cut (after 25 of 28), how
#    many more and where they are.
LBN=$WORK/lbn.gpkg
synth_store "$LBN" --country LBN --seed 1
cmr 0 report "$LBN" -o "$WORK/lbn" --runs 200
if $HAVE_PDFTOTEXT; then
    pdf_text "$WORK/lbn/report.pdf" "$WORK/lbn.txt"
    contains "$WORK/lbn.txt" "Findings (28)"
    contains "$WORK/lbn.txt" "hazard_overlap LBN-H000004, LBN-H000004-B00: "
    contains "$WORK/lbn.txt" "hazard_overlap LBN-H000114, LBN-H000114-B00: "
    contains "$WORK/lbn.txt" \
        "3 more findings: all are in LBN-findings.csv beside this report, or given by cmr check --country LBN."
else
    skip "pdftotext (poppler-utils) is not installed"
fi
# Dense: overlaps of twenty hazards; the ids are cut at the end of a line.
DENSE=$WORK/dense.gpkg
synth_store "$DENSE" --country LBN --seed 1 --dense
cmr 0 report "$DENSE" -o "$WORK/dense" --runs 200
if $HAVE_PDFTOTEXT; then
    pdf_text "$WORK/dense/report.pdf" "$WORK/dense.txt"
    contains "$WORK/dense.txt" "… (20 records): "
    contains "$WORK/dense.txt" "more findings: all are in LBN-findings.csv"
fi

# Every finding is in ISO3-findings.csv beside the report, as cmr check
# gives them (the page lists 60 and the PDF 25, and both point to it).
cmr 0 check "$DENSE" --country LBN --format csv
cp "$WORK/out" "$WORK/dense_check.csv"
equals "findings CSV = cmr check's rows (without as_of)" "" \
    "$(python3 -c 'import csv, sys
a = [r[:6] for r in csv.reader(open(sys.argv[1]))]
b = list(csv.reader(open(sys.argv[2])))
if len(a) < 62: print("only", len(a) - 1, "findings: the test needs more than 60")
if a != b: print("differ:", len(a), len(b))' "$WORK/dense_check.csv" "$WORK/dense/LBN-findings.csv")"
n=$(($(wc -l <"$WORK/dense_check.csv") - 1))
contains "$WORK/dense/LBN.html" "$((n - 60)) more: all are in <a href=\"LBN-findings.csv\">LBN-findings.csv</a>"
contains "$WORK/dense/LBN.html" '<a href="LBN-findings.csv">every finding</a>'
if $HAVE_PDFTOTEXT; then
    tr '\n' ' ' <"$WORK/dense.txt" | grep -qF "$((n - 25)) more findings: all are in LBN-findings.csv" ||
        fail "the PDF does not point to LBN-findings.csv"
    pass
fi

# 2. A store without boundaries: the report is made all the same, its maps
#    left out with a note that says why (index.html, the brief, the PDF).
NOB=$WORK/nob.gpkg
rm -f "$NOB"
cmr 0 init --no-boundaries "$NOB"
cmr 0 import "$NOB" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"
cmr 0 report "$NOB" -o "$WORK/nob" --runs 200
NOTE="Map left out: no boundaries in the store: maps need them, see cmr init --boundaries."
contains "$WORK/nob/index.html" "$NOTE"
contains "$WORK/nob/LAO.html" "$NOTE"
not_contains "$WORK/nob/index.html" "<svg"
# the rest as usual: the charts, the tables, the CSV files, the PDF
contains "$WORK/nob/LAO.html" 'id="LAO-burn-'
contains "$WORK/nob/LAO.html" "Article 4.6 (d)-(f)"
for f in LAO-art4-6.csv LAO-contaminated-areas.csv LAO-release-by-year.csv \
    report.pdf; do
    [ -s "$WORK/nob/$f" ] || fail "$WORK/nob/$f is missing or empty"
    pass
done
if $HAVE_PDFTOTEXT; then
    pdf_text "$WORK/nob/report.pdf" "$WORK/nob.txt"
    contains "$WORK/nob.txt" "$NOTE"
    contains "$WORK/nob.txt" "Lao PDR: cluster munition remnants"
fi

# 3. index.html lists the States cmr forecast lists: with records (Lao PDR,
#    linked to its page) or with published figures only (a row from them,
#    marked, no page); Chad has neither.
LAO=$WORK/lao.gpkg
fresh_store "$LAO"
cmr 0 import "$LAO" --hazards "$LEDGER/hazards.geojson" \
    --releases "$LEDGER/releases.geojson"
cmr 0 forecast "$LAO" --format csv --runs 200
listed=$(($(wc -l <"$WORK/out") - 1))
equals "States cmr forecast lists" 9 "$listed"
cmr 0 report "$LAO" -o "$WORK/lao" --runs 200
INDEX=$WORK/lao/index.html
rows=$(grep -cE '^<tr><td class="l">(<a href="[A-Z]{3}\.html">[^<]*</a>|[^<]*&nbsp;&dagger;</td>)' "$INDEX")
equals "States index.html lists" "$listed" "$rows"
contains "$INDEX" '<tr><td class="l"><a href="LAO.html">Lao PDR</a>'
contains "$INDEX" '<tr><td class="l">Lebanon&nbsp;&dagger;</td><td>7.290</td>'
contains "$INDEX" '&dagger; no records in the store: the row is from the State'"'"'s published figures'
not_contains "$INDEX" "Chad&nbsp;&dagger;"
# A State with a remaining area published and no release figure in the
# window has no rate and so no P50: '-', as cmr forecast gives it, not
# "never" (a review found Chile, Germany and Afghanistan "never").
grep -qE '^<tr><td class="l">Chile&nbsp;&dagger;</td><td>64\.611\^</td>(<td>[^<]*</td>){4}<td>-</td>' "$INDEX" ||
    fail "Chile (no rate): its P50 is not '-'"
pass
not_contains "$INDEX" "<td>never</td>"
[ ! -e "$WORK/lao/LBN.html" ] || fail "a page for Lebanon, which has no records"
# Lao PDR's deadline, extended at 12MSP to a date the data lacks, has no
# required rate: its ratios are '-', never "nan" (a review found nan&times;).
cmr 0 report "$LAO" -o "$WORK/lao25" --runs 200 --at 2025-12-31
not_contains "$WORK/lao25/LAO.html" "nan&times;"
contains "$WORK/lao25/LAO.html" "(-&times; mean, -&times; best)"
contains "$WORK/lao25/LAO.html" "2025-08-01, extended at 12MSP (the new date is not in the deadlines data)"
contains "$WORK/lao25/index.html" "<td>2025-08-01+</td>"
contains "$WORK/lao25/index.html" "+ extended since, at the meeting named, to a date the deadlines data does not give: Lao PDR (12MSP)"
pass

# The CSV tables quote a province's name or code that holds a comma or a
# quote (boundaries are the user's), and keep one a spreadsheet would read
# as a formula text (a leading apostrophe).
cp "$LAO" "$WORK/quoted.gpkg"
ogrinfo -q "$WORK/quoted.gpkg" -sql "UPDATE admin_area SET name = name || ', \"old\"',
    code = '=' || code WHERE country = 'LAO'" >/dev/null ||
    fail "cannot edit $WORK/quoted.gpkg"
cmr 0 report "$WORK/quoted.gpkg" -o "$WORK/quoted" --runs 200
CA=$WORK/quoted/LAO-contaminated-areas.csv
equals "rows of seven fields" "" \
    "$(python3 -c 'import csv, sys
for r in csv.reader(open(sys.argv[1])):
    if len(r) != 7: print(r)' "$CA")"
grep -qE '^LAO,"'"'"'=LA-[A-Z]{2}","[A-Za-z ]+, ""old""",' "$CA" ||
    fail "$CA: no quoted province row"
pass

if $HAVE_PDFTOTEXT; then
    pdf_text "$WORK/lao/report.pdf" "$WORK/lao.txt"
    contains "$WORK/lao.txt" "Lebanon †"
    contains "$WORK/lao.txt" "† no records in the store"
fi

# 4. The burn-down chart draws Lao PDR's deadline, extended at 12MSP to a
#    date the data lacks, as no longer the deadline, and says so (alone,
#    and in report.pdf); before the request (mid-2024), and for Lebanon,
#    the deadline in force has the usual label.
EXTENDED="Article 4 deadline 2025-08-01, extended at 12MSP (new date not in data)"
cmr 0 chart "$LAO" --country LAO --kind burndown --runs 200 --at 2025-12-31 \
    -o "$WORK/lao25-burn.pdf"
cmr 0 chart "$LAO" --country LAO --kind burndown --runs 200 --at 2024-06-30 \
    -o "$WORK/lao24-burn.pdf"
cmr 0 chart "$LBN" --country LBN --kind burndown --runs 200 \
    -o "$WORK/lbn-burn.pdf"
if $HAVE_PDFTOTEXT; then
    pdf_text "$WORK/lao25-burn.pdf" "$WORK/lao25-burn.txt"
    contains "$WORK/lao25-burn.txt" "$EXTENDED"
    contains "$WORK/lao25-burn.txt" "Grey dashed: the Article 4 deadline recorded, since extended to a date the deadlines data does not give"
    pdf_text "$WORK/lao25/report.pdf" "$WORK/lao25.txt"
    contains "$WORK/lao25.txt" "$EXTENDED"
    # (its longer note under the chart ran under the page's footer)
    foot_clear "$WORK/lao25/report.pdf"
    margins_even "$WORK/lao25/report.pdf"
    for f in lao24-burn lbn-burn; do
        pdf_text "$WORK/$f.pdf" "$WORK/$f.txt"
        contains "$WORK/$f.txt" "Article 4 deadline"
        not_contains "$WORK/$f.txt" "extended"
    done
else
    skip "pdftotext (poppler-utils) is not installed"
fi

# 5. The burn-down says what cmr forecast says (a review found "P10 never,
#    P50 never, P90 never" beside a forecast of unknown, and "Monte Carlo
#    (0 runs ...)" on a trailing-mean chart): Iraq, 200 km2 published and
#    no release figure in 2022-2024, has no rate; Lao PDR in 2000, no
#    record and nothing published, has its remaining area unknown.
cmr 0 chart "$LAO" --country IRQ --kind burndown --runs 200 --at 2024-12-31 \
    -o "$WORK/irq-burn.pdf"
cmr 0 chart "$LAO" --country LAO --kind burndown --runs 200 --at 2000-01-01 \
    -o "$WORK/lao00-burn.pdf"
cmr 0 chart "$LAO" --country LAO --kind burndown --method trailing --window 6 \
    -o "$WORK/lao-trailing.pdf"
if $HAVE_PDFTOTEXT; then
    pdf_text "$WORK/irq-burn.pdf" "$WORK/irq-burn.txt"
    contains "$WORK/irq-burn.txt" "no completion date (no release figure in 2022-2024)"
    contains "$WORK/irq-burn.txt" "no release figure published in 2022-2024"
    contains "$WORK/irq-burn.txt" "remaining 200.000 km2, published"
    not_contains "$WORK/irq-burn.txt" "never"
    not_contains "$WORK/irq-burn.txt" "remaining (ledger)"
    pdf_text "$WORK/lao00-burn.pdf" "$WORK/lao00-burn.txt"
    contains "$WORK/lao00-burn.txt" "no completion date (remaining area unknown)"
    contains "$WORK/lao00-burn.txt" "no hazard record by this date, and no remaining area published"
    not_contains "$WORK/lao00-burn.txt" "never"
    pdf_text "$WORK/lao-trailing.pdf" "$WORK/lao-trailing.txt"
    contains "$WORK/lao-trailing.txt" "trailing mean of the last 6 years: completion"
    not_contains "$WORK/lao-trailing.txt" "Monte Carlo"
    not_contains "$WORK/lao-trailing.txt" "runs"
    not_contains "$WORK/lao-trailing.txt" "P10"
else
    skip "pdftotext (poppler-utils) is not installed"
fi

# 6. The small multiples name the States they leave out for want of a
#    boundary in the store, and why (a review found them left out
#    silently, Lebanon's records in the store all the same).
PART=$WORK/part.gpkg
cp "$LBN" "$PART"
ogrinfo -q "$PART" -sql "DELETE FROM country_outline WHERE iso3 NOT IN ('LAO', 'TCD')" \
    >/dev/null || fail "cannot edit $PART"
cmr 0 map "$PART" --country all -o "$WORK/part.pdf"
cmr 0 map "$LBN" --country all -o "$WORK/whole.pdf"
if $HAVE_PDFTOTEXT; then
    pdf_text "$WORK/part.pdf" "$WORK/part.txt"
    contains "$WORK/part.txt" "Not drawn, without a boundary in the store: Afghanistan, Chile, Germany, Iraq, Lebanon, Mauritania, Somalia, South Sudan (cmr init loads the bundled boundaries; or cmr import --boundaries)."
    contains "$WORK/part.txt" "Lao PDR"
    contains "$WORK/part.txt" "Chad"
    pdf_text "$WORK/whole.pdf" "$WORK/whole.txt"
    not_contains "$WORK/whole.txt" "Not drawn"
else
    skip "pdftotext (poppler-utils) is not installed"
fi

# 7. At the least size (800x600; smaller is refused, see test_usage.sh) a
#    map is laid out as at 1000x750 and scaled down: every scale bar has a
#    length ("nan km" at 600x400), and the single map's legend ends above
#    its credits (it ran over them at 640x480).
cmr 0 map "$LBN" --country all --size 800x600 -o "$WORK/small-all.pdf"
cmr 0 map "$LBN" --country LBN --size 800x600 -o "$WORK/small-lbn.pdf"
if $HAVE_PDFTOTEXT; then
    pdf_text "$WORK/small-all.pdf" "$WORK/small-all.txt"
    not_contains "$WORK/small-all.txt" "nan km"
    equals "scale bars in the small multiples" 10 \
        "$(grep -oE '[0-9]+ km( |$)' "$WORK/small-all.txt" | wc -l)"
    # the legend's last word above the credits' first (pdftotext -bbox)
    equals "the legend ends above the credits" "" "$(pdftotext -bbox \
        "$WORK/small-lbn.pdf" - | awk '
        /<word / {
            match($0, /yMin="[0-9.]+"/); y0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            t = $0; sub(/^.*">/, "", t); sub(/<\/word>.*$/, "", t)
            if (t == "visible.") legend = y1
            if (t == "Boundaries:") credits = y0
        }
        END { if (!legend || !credits || legend >= credits)
                  print "legend ends at " legend ", credits start at " credits }')"
fi

finish
