#!/usr/bin/env bash
# tests/cli/report.sh - `zhiliang report quality` on a scratch SQLite demo
# database: the province's 2014 report and its annex (pdftotext finds the
# title, the headline figures and the data date; the annex has one sheet per
# table), the same date gives the same bytes, a city's report by county, a
# year without tested batches (exit 1, a clear message, no file written), bad
# regions and usage errors (exit 2), and an unwritable destination (exit 1,
# nothing half-written); with output weights, the manufacturing pass rate.
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

DB="$T/zl.db"
Z() { "$BIN" --db "sqlite:$DB" "$@"; }
txt() { pdftotext -enc UTF-8 "$1" - | tr -d ' \n'; }
sheets() { unzip -p "$1" xl/workbook.xml | grep -o '<sheet [^>]*name="[^"]*"' | sed 's/.*name="//; s/"$//' | tr '\n' ' '; }

check "help lists report" 0 "^  report " -- "$BIN" help
check "help report shows the usage" 0 "^usage: zhiliang report quality --year YYYY" -- "$BIN" help report
check "init --demo" 0 "" -- Z init --demo

# The figures depend on the demo's data: read them from the summary line and find them in the PDF.
check "the province's 2014 report" 0 "^河南省 2014: [0-9]+ batches, [0-9]+ failed, pass rate [0-9.]+% \(95% [0-9.]+%–[0-9.]+%\); $T/p.pdf, $T/p.xlsx$" \
	-- Z report quality --year 2014 --out "$T/p.pdf" --annex "$T/p.xlsx" --date 2015-01-20
read -r batches failed rate lo hi < <(sed -E 's/^河南省 2014: ([0-9]+) batches, ([0-9]+) failed, pass rate ([0-9.]+%) \(95% ([0-9.]+%)–([0-9.]+%)\).*/\1 \2 \3 \4 \5/' "$T/out")
t=$(txt "$T/p.pdf")
for want in "河南省2014年产品质量状况分析报告" "共检验产品${batches}批次，不合格${failed}批次" "批次合格率${rate}（95%置信区间${lo}–${hi}）" \
	"数据截至2015-01-20" "Wilson" "六、方法说明"; do
	case "$t" in *"$want"*) ok "pdf says $want" ;; *) nok "pdf says $want" "$(echo "$t" | head -c 400)" ;; esac
done
case "$t" in *"2013年没有检验数据"* | *"与2013年（"*"个百分点"*) ok "pdf compares with 2013 (or says there is nothing to compare)" ;; *) nok "pdf compares with 2013" "$(echo "$t" | head -c 400)" ;; esac
[ "$(sheets "$T/p.xlsx")" = "总体 季度 地区 企业规模 产品 " ] && ok "annex: one sheet per table" || nok "annex: one sheet per table" "$(sheets "$T/p.xlsx")"
ls "$T"/*.tmp >/dev/null 2>&1 && nok "no temp file left" "$(ls "$T")" || ok "no temp file left"

check "again with the same date" 0 "" -- Z report quality --year 2014 --out "$T/p2.pdf" --date 2015-01-20
cmp -s "$T/p.pdf" "$T/p2.pdf" && ok "same data and date: same bytes" || nok "same data and date: same bytes" "differ"

check "a city's report" 0 "^郑州市 2014: [0-9]+ batches" -- Z report quality --year 2014 --region 410100 --out "$T/zz.pdf" --date 2015-01-20
t=$(txt "$T/zz.pdf")
case "$t" in *"郑州市2014年产品质量状况分析报告"*"县（市、区）"*) ok "the city's report is by county" ;; *) nok "the city's report is by county" "$(echo "$t" | head -c 400)" ;; esac
check "a city in a year without data" 1 "洛阳市 has no tested batch in 2029: nothing to report" -- Z report quality --year 2029 --region 410300 --out "$T/ly.pdf"
[ -e "$T/ly.pdf" ] && nok "no file for an empty report" "written" || ok "no file for an empty report"

check "a year without data: exit 1 and why" 1 "河南省 has no tested batch in 2030: nothing to report" -- Z report quality --year 2030 --out "$T/e.pdf" --annex "$T/e.xlsx"
[ -e "$T/e.pdf" ] || [ -e "$T/e.xlsx" ] && nok "nothing written for 2030" "$(ls "$T")" || ok "nothing written for 2030"

ABS=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
# With output weights (as the upload route stores them) the headline gives the manufacturing
# rate (郑州's cement, division 30, and chemicals, 26, weighted).
if command -v sqlite3 >/dev/null; then
	sqlite3 "$DB" "INSERT INTO output_weights VALUES (2014, '410100', '30', 1000, 't', 't'), (2014, '410100', '26', 500, 't', 't')"
	check "with output weights" 0 "" -- Z report quality --year 2014 --out "$T/w.pdf" --date 2015-01-20
	case "$(txt "$T/w.pdf")" in *"制造业产品质量合格率为"[0-9]*%*) ok "the manufacturing pass rate" ;; *) nok "the manufacturing pass rate" "$(txt "$T/w.pdf" | head -c 300)" ;; esac
	case "$(txt "$T/p.pdf")" in *"制造业产品质量合格率为"*) nok "no weights, no manufacturing rate" "printed" ;; *) ok "no weights, no manufacturing rate" ;; esac
fi

check "default file name" 0 "quality-report-2014-410100.pdf$" -- bash -c "cd '$T' && '$ABS' --db 'sqlite:$DB' report quality --year 2014 --region 410100"
[ -s "$T/quality-report-2014-410100.pdf" ] && ok "written under the default name" || nok "written under the default name" "$(ls "$T")"

check "region outside Henan" 2 "region must be the GB/T 2260 code" -- Z report quality --year 2014 --region 110000
check "region not a code" 2 "region" -- Z report quality --year 2014 --region 4101
check "no --year" 2 "--year is required" -- Z report quality
check "bad --year" 2 "--year must be a year" -- Z report quality --year 14
check "year out of range" 2 "--year must be a year" -- Z report quality --year 1990
check "bad --date" 2 "--date must be a date" -- Z report quality --year 2014 --date 2015-02-30
check "flag without value" 2 "usage" -- Z report quality --year
check "unknown flag" 2 "usage" -- Z report quality --year 2014 --pages 3
check "unknown report" 2 "usage" -- Z report safety --year 2014
check "no subcommand" 2 "usage" -- Z report

check "unwritable destination" 1 "cannot write|No such file" -- Z report quality --year 2014 --out "$T/no/such/dir/r.pdf"
mkdir "$T/ro"
check "annex unwritable: exit 1" 1 "" -- Z report quality --year 2014 --out "$T/ro/r.pdf" --annex "$T/no/such/a.xlsx"
[ -e "$T/ro/r.pdf" ] && nok "annex failed: no PDF left either" "written" || ok "annex failed: no PDF left either"
finish
