#!/usr/bin/env bash
# tests/cli/scimport.sh - `zhiliang import spotchecks` end to end on a scratch
# SQLite file with the demo data (catalogue, organizations): the fixtures of
# tests/data/spotchecks (title rows and a footer, UTF-8 BOM with 符合/不符合,
# GBK failures-only), a row whose producer is not in the register (exit 1,
# nothing written, the report naming row, column and reason as CSV and
# xlsx), --partial (the good rows written as inspections of a new draft
# announcement on the year's imported plan; failures in state failed with
# outcome disposal_unknown, their items with verdict fail; nothing due on
# them: `inspections fire-timers` fires nothing), re-import idempotent (the
# same announcement, rows skipped), the row resolved in the register and
# the file imported again (only that row added), --dry-run, --product and
# --region, bad options (exit 2 or 1 with a message), the audit row, the statistics' rollups
# kept current by the import (equal to a rebuild).
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

command -v sqlite3 >/dev/null || { nok "sqlite3 shell" "not installed"; finish; }
D="$(cd "$(dirname "$0")/../data/spotchecks" && pwd)"
DB="$T/zl.db"
Z() { "$BIN" --db "sqlite:$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
A=914112810713741814
B=91440300192317458F

check "init --demo" 0 "" -- Z init --demo
printf '统一社会信用代码,企业名称,所在地区,企业规模\n%s,义马甲有限公司,义马市,中型\n%s,郑州（乙）有限公司,410102,小型\n' "$A" "$B" >"$T/ent.csv"
check "register two enterprises" 0 "^imported 2" -- Z import enterprises "$T/ent.csv"
before=$(q "SELECT count(*) FROM inspections")

# An unmatched producer: exit 1, nothing written, the report says where and why.
check "unmatched row rejects the file" 1 "^imported 0, updated 0, rejected 1" -- \
	Z import spotchecks "$D/titles_footer.csv" --report "$T/rep.csv"
[ "$(q "SELECT count(*) FROM inspections")" = "$before" ] && [ "$(q "SELECT count(*) FROM spotcheck_announcements")" = 0 ] &&
	ok "nothing written" || nok "nothing written" "$(q "SELECT count(*) FROM inspections")"
grep -q '^6,C (标称生产企业名称),无名有限公司,"unmatched: no enterprise of this name' "$T/rep.csv" &&
	ok "CSV report: row, column, value, reason" || nok "CSV report" "$(cat "$T/rep.csv")"
check "xlsx report" 1 "" -- Z import spotchecks "$D/titles_footer.csv" --report "$T/rep.xlsx"
[ "$(head -c 2 "$T/rep.xlsx")" = PK ] && ok "xlsx report written" || nok "xlsx report written" "not a zip"

# --partial: the good rows.
prov_before=$(Z stats show --by level 2>&1 | awk '$1 == "province" { print $2 " " $3 }')
[ -n "$prov_before" ] || prov_before="0 0"
check "--partial imports the good rows" 1 "^imported 2, updated 0, rejected 1" -- \
	Z import spotchecks "$D/titles_footer.csv" --partial
[ "$(q "SELECT level || ' ' || doc_no || ' ' || origin || ' ' || status || ' ' || source FROM spotcheck_announcements")" = \
	"province 豫质监〔2014〕12号 imported draft titles_footer.csv" ] &&
	ok "announcement from the title rows" || nok "announcement" "$(q "SELECT * FROM spotcheck_announcements")"
[ "$(q "SELECT year || ' ' || status || ' ' || origin FROM spotcheck_plans WHERE origin = 'imported'")" = "2014 finished imported" ] &&
	ok "the year's imported plan" || nok "imported plan" "$(q "SELECT * FROM spotcheck_plans WHERE origin = 'imported'")"
[ "$(q "SELECT state || ' ' || outcome || ' ' || nitems || ' ' || nominal || ' ' || counterfeit || ' ' || size_class || ' ' || county || ' ' || source_row FROM inspections WHERE uscc = '$B' AND announcement_id IS NOT NULL")" = \
	"failed disposal_unknown 3 1 1 small 410102 5" ] &&
	ok "a failed row" || nok "a failed row" "$(q "SELECT state, outcome, nitems, nominal, counterfeit, size_class, county, source_row FROM inspections WHERE uscc = '$B'")"
[ "$(q "SELECT group_concat(name || ':' || verdict, ',') FROM inspection_items WHERE inspection_id = (SELECT id FROM inspections WHERE uscc = '$B' AND announcement_id IS NOT NULL)")" = \
	"能效等级:fail,标志:fail,说明:fail" ] && ok "its failed items" || nok "failed items" "$(q "SELECT * FROM inspection_items")"
[ "$(q "SELECT state || ' ' || outcome || ' ' || production_date || ' ' || product FROM inspections WHERE uscc = '$A' AND announcement_id IS NOT NULL")" = \
	"closed passed 2014-05-03 0101" ] && ok "a passed row" || nok "a passed row" "$(q "SELECT * FROM inspections WHERE uscc = '$A'")"
check "no timer fires on imported failures" 0 "" -- Z inspections fire-timers
[ "$(q "SELECT state FROM inspections WHERE uscc = '$B' AND announcement_id IS NOT NULL")" = failed ] &&
	ok "still failed after the timers" || nok "timers" "state changed"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'spotcheck.import'")" = 1 ] &&
	ok "audited" || nok "audited" "$(q "SELECT count(*) FROM audit_log WHERE action = 'spotcheck.import'")"

# The statistics' rollups were kept current in the import's transaction: a rebuild from the
# inspections gives the same figures (store/scstats.h).
Z stats show --by level >"$T/before.txt" 2>&1
prov_after=$(awk '$1 == "province" { print $2 " " $3 }' "$T/before.txt")
[ "$prov_after" = "$((${prov_before% *} + 2)) $((${prov_before#* } + 1))" ] &&
	ok "rollups count the two imported rows (one failed)" || nok "rollups count the imported rows" "before $prov_before, after $prov_after"
check "stats rebuild" 0 "^rebuilt the statistics" -- Z stats rebuild
Z stats show --by level >"$T/after.txt" 2>&1
cmp -s "$T/before.txt" "$T/after.txt" && ok "rollups equal a rebuild" || nok "rollups equal a rebuild" "$(diff "$T/before.txt" "$T/after.txt" | head -5)"

# Idempotent: the same file again adds nothing.
check "re-import skips the imported rows" 1 "^imported 0, updated 0, rejected 1" -- \
	Z import spotchecks "$D/titles_footer.csv" --partial
grep -q "2 rows already imported" "$T/err" && ok "says so" || nok "says so" "$(cat "$T/err")"
[ "$(q "SELECT count(*) FROM spotcheck_announcements")" = 1 ] && ok "one announcement" || nok "one announcement" "$(q "SELECT count(*) FROM spotcheck_announcements")"

# The unmatched producer registered: the same file adds that row only.
printf '统一社会信用代码,企业名称,所在地区\n91440606722473344C,无名有限公司,410102\n' >"$T/ent2.csv"
check "register the missing producer" 0 "^imported 1" -- Z import enterprises "$T/ent2.csv"
check "re-import adds the resolved row" 0 "^imported 1, updated 0, rejected 0" -- Z import spotchecks "$D/titles_footer.csv"
[ "$(q "SELECT count(*) FROM inspections WHERE announcement_id IS NOT NULL")" = 3 ] && ok "three rows" || nok "three rows" "$(q "SELECT count(*) FROM inspections WHERE announcement_id IS NOT NULL")"

# UTF-8 with BOM, 符合/不符合, codes, retailer and platform.
check "BOM, 符合/不符合, USCC column" 0 "^imported 2, updated 0, rejected 0" -- \
	Z import spotchecks "$D/bom_fuhe.csv" --org 410100 --level city --issued-on 2016-11-01 --title "郑州市2016年电饭锅抽查结果"
[ "$(q "SELECT retailer || '|' || platform || '|' || place || '|' || sampled_unit || '|' || level || '|' || sampled_on FROM inspections WHERE source_row = 3 AND announcement_id = (SELECT max(id) FROM spotcheck_announcements)")" = \
	"某商贸有限公司|天猫|ecommerce|某超市|city|2016-10-09" ] && ok "sampled unit, retailer, platform" ||
	nok "sampled unit, retailer, platform" "$(q "SELECT retailer, platform, place, sampled_unit, level, sampled_on FROM inspections WHERE source_row = 3")"

# GBK, failures only, region names; one name not in the register (郑州乙 ≠ 郑州（乙）).
check "GBK failures-only: unmatched row" 1 "rejected row 5.*unmatched" -- Z import spotchecks "$D/gbk_failures.csv" --org 410100
check "--dry-run --partial writes nothing" 1 "dry run: nothing written" -- Z import spotchecks "$D/gbk_failures.csv" --org 410100 --partial --dry-run
check "GBK --partial" 1 "^imported 2, updated 0, rejected 1" -- Z import spotchecks "$D/gbk_failures.csv" --org 410100 --partial
[ "$(q "SELECT count(*) FROM inspections WHERE state = 'failed' AND announcement_id = (SELECT max(id) FROM spotcheck_announcements)")" = 2 ] &&
	ok "every row of a failures-only table failed" || nok "failures only" "$(q "SELECT state FROM inspections WHERE announcement_id = (SELECT max(id) FROM spotcheck_announcements)")"
[ "$(q "SELECT batch FROM inspections WHERE source_row = 4 AND announcement_id = (SELECT max(id) FROM spotcheck_announcements)")" = "批号20150301" ] &&
	ok "a batch number kept as such" || nok "batch" "$(q "SELECT batch, production_date FROM inspections WHERE source_row = 4")"

# A legacy .xls with organization codes (07137418-1 is in A's USCC, 19231745-8 in B's).
check "xls, matched by organization code" 0 "^imported 2, updated 0, rejected 0" -- Z import spotchecks "$D/legacy.xls" --org 410100
[ "$(q "SELECT group_concat(uscc || ':' || state, ',') FROM (SELECT uscc, state FROM inspections WHERE announcement_id = (SELECT max(id) FROM spotcheck_announcements) ORDER BY source_row)")" = \
	"$A:closed,$B:failed" ] && ok "both producers found by their organization codes" ||
	nok "org codes" "$(q "SELECT uscc, state FROM inspections WHERE announcement_id = (SELECT max(id) FROM spotcheck_announcements)")"

# --product for names the catalogue does not know; bad options.
printf '产品名称,生产企业,检验结果\n奇怪产品,义马甲有限公司,合格\n' >"$T/odd.csv"
check "unknown product rejected" 1 "no catalogue category" -- Z import spotchecks "$T/odd.csv"
check "--product maps it" 0 "^imported 1" -- Z import spotchecks "$T/odd.csv" --product 0105
check "bad level" 1 "level must be" -- Z import spotchecks "$T/odd.csv" --level town
check "unknown org" 1 "no current organization" -- Z import spotchecks "$T/odd.csv" --org 999999
check "bad --report name" 2 "usage" -- Z import spotchecks "$T/odd.csv" --report x.txt
printf '甲,乙\n1,2\n' >"$T/nohdr.csv"
check "no header row" 1 "no header row" -- Z import spotchecks "$T/nohdr.csv"
finish
