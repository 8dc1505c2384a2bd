#!/usr/bin/env bash
# tests/cli/import.sh - `zhiliang import enterprises` end to end on a scratch
# SQLite file: UTF-8 CSV, UTF-8 with BOM, GBK (GB18030 bytes made with
# iconv), title rows above the header, a bad row (exit 1, nothing written),
# --partial (the good rows written), re-import idempotent (updated 0),
# the report as CSV and xlsx, usage errors (exit 2), a file without a
# header row, former names (曾用名, several per cell) imported and indexed,
# the progress bar on a terminal (through script(1)), the audit row, the
# journal (a rollback journal while the command has the database to itself,
# the WAL again after it; the WAL all along while another connection holds
# the database open).  The xlsx reader itself is covered by
# tests/unit/core/test_table.c (which writes workbooks with libxlsxwriter).
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

command -v sqlite3 >/dev/null || { nok "sqlite3 shell" "not installed (apt-get install sqlite3)"; finish; }
command -v iconv >/dev/null || { nok "iconv" "not installed"; finish; }

DB="$T/zl.db"
Z() { "$BIN" --db "sqlite:$DB" "$@"; }
count() { sqlite3 "$DB" "SELECT count(*) FROM enterprises;"; }

check "init" 0 "" -- Z init

# Valid codes from DOMAIN.md 1.5 (mod-31 and inner mod-11 pass).
A=914112810713741814
B=91440300192317458F
C=91440606722473344C
D=91330100716105852F

printf '统一社会信用代码,企业名称,所在地区,行业代码,成立日期,企业规模,登记状态\n%s,义马甲有限公司,义马市,C3670,2016/9/17,中型,存续\n%s,郑州乙有限公司,410102,3670,2010年1月2日,大型,在业\n' "$A" "$B" >"$T/utf8.csv"
check "UTF-8 CSV imported" 0 "^imported 2, updated 0, unchanged 0, rejected 0" -- Z import enterprises "$T/utf8.csv"
[ "$(count)" = 2 ] && ok "two rows in the register" || nok "two rows in the register" "count $(count)"
check "re-import is idempotent" 0 "^imported 0, updated 0, unchanged 2, rejected 0" -- Z import enterprises "$T/utf8.csv"
[ "$(sqlite3 "$DB" "SELECT region FROM enterprises WHERE uscc='$A';")" = 411281 ] &&
	ok "region name mapped to its code" || nok "region name mapped to its code" "$(sqlite3 "$DB" "SELECT region FROM enterprises WHERE uscc='$A';")"
[ "$(sqlite3 "$DB" "SELECT founded || ' ' || size_class || ' ' || status FROM enterprises WHERE uscc='$B';")" = "2010-01-02 large operating" ] &&
	ok "dates and enums normalised" || nok "dates and enums normalised" "$(sqlite3 "$DB" "SELECT founded, size_class, status FROM enterprises WHERE uscc='$B';")"

# BOM, CRLF, a changed name: one update.
printf '\xEF\xBB\xBF信用代码,单位名称,所在地区\r\n%s,义马甲股份有限公司,411281\r\n' "$A" >"$T/bom.csv"
check "UTF-8 with BOM, CRLF: one update" 0 "^imported 0, updated 1, unchanged 0, rejected 0" -- Z import enterprises "$T/bom.csv"

# GBK under two title rows, with a quoted name holding a line break and a blank row.
printf '河南省重点企业名录\r\n制表单位：省质监局,,\r\n统一社会信用代码,企业名称,所在地区\r\n\r\n%s,"佛山丙\r\n有限公司",郑州市\r\n' "$C" |
	iconv -f UTF-8 -t GB18030 >"$T/gbk.csv"
check "GBK CSV under title rows" 0 "^imported 1, updated 0, unchanged 0, rejected 0" -- Z import enterprises "$T/gbk.csv"
check "GBK detected, header row 3" 0 "header on row 3, csv gb18030" -- Z import enterprises "$T/gbk.csv"
[ "$(sqlite3 "$DB" "SELECT name || '/' || region FROM enterprises WHERE uscc='$C';")" = "佛山丙 有限公司/410100" ] &&
	ok "GBK text decoded" || nok "GBK text decoded" "$(sqlite3 "$DB" "SELECT name, region FROM enterprises WHERE uscc='$C';")"
check "--encoding utf-8 on GBK fails" 1 "not valid UTF-8" -- Z import enterprises "$T/gbk.csv" --encoding utf-8
check "--encoding gbk" 0 "unchanged 1" -- Z import enterprises "$T/gbk.csv" --encoding gbk

# Former names: several in one cell, imported and indexed; no "not imported" note.
E=91410702T614LU9L4R
printf '统一社会信用代码,企业名称,曾用名\n%s,南阳秋兴农业股份有限公司,"南阳客车厂；秋兴集团、老秋兴\n秋兴农业有限公司"\n' "$E" >"$T/former.csv"
check "former names column imported" 0 "^imported 1, updated 0, unchanged 0, rejected 0" -- Z import enterprises "$T/former.csv"
if grep -q "recognised" "$T/err"; then nok "no 'not imported' note" "$(cat "$T/err")"; else ok "no 'not imported' note"; fi
grep -q "^4 former names recorded" "$T/err" && ok "former names counted" || nok "former names counted" "$(cat "$T/err")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM enterprise_former_names WHERE uscc='$E';")" = 4 ] &&
	ok "four former names stored" || nok "four former names stored" "$(sqlite3 "$DB" "SELECT name FROM enterprise_former_names WHERE uscc='$E';")"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM enterprise_postings WHERE gram IN ('客车厂', '老秋');")" = 2 ] &&
	ok "former names in the name index" || nok "former names in the name index" "$(sqlite3 "$DB" "SELECT gram FROM enterprise_postings LIMIT 20;")"
check "former names: re-import unchanged" 0 "^imported 0, updated 0, unchanged 1, rejected 0" -- Z import enterprises "$T/former.csv"
printf '统一社会信用代码,企业名称,曾用名\n%s,南阳秋兴农业股份有限公司,秋\n' "$E" >"$T/former1.csv"
check "a one-character former name is rejected" 1 "rejected row 2, C \(曾用名\): a former name must have 2 to 200 characters" -- Z import enterprises "$T/former1.csv"

# The progress bar on a terminal shows the phases and ends at 100%.
if command -v script >/dev/null; then
	script -qec "$BIN --db sqlite:$DB import enterprises $T/former.csv" /dev/null >"$T/tty" 2>&1
	if grep -q "100.0%" "$T/tty" && grep -q "indexing names" "$T/tty" && grep -q "unchanged 1" "$T/tty"; then
		ok "progress bar on a terminal"
	else
		nok "progress bar on a terminal" "$(head -c 600 "$T/tty" | tr '\r' '|')"
	fi
fi

# A bad row: exit 1, nothing written, the row named.
before=$(count)
printf '统一社会信用代码,企业名称,备注\n%s,杭州丁有限公司,ok\n91110000600037341N,坏代码有限公司,\n' "$D" >"$T/bad.csv"
check "bad row rejected, exit 1" 1 "^imported 0, updated 0, unchanged 0, rejected 1" -- Z import enterprises "$T/bad.csv"
check "bad row named by row and column" 1 "rejected row 3, A \(统一社会信用代码\)" -- Z import enterprises "$T/bad.csv"
check "unmapped column reported" 1 "unmapped column C \(备注\)" -- Z import enterprises "$T/bad.csv"
[ "$(count)" = "$before" ] && ok "nothing written" || nok "nothing written" "count $(count), was $before"

check "report as CSV" 1 "rejected 1" -- Z import enterprises "$T/bad.csv" --report "$T/report.csv"
if grep -q '^3,A (统一社会信用代码),91110000600037341N,' "$T/report.csv" && grep -q 'unmapped column' "$T/report.csv"; then
	ok "CSV report lists row, column, value, reason"
else
	nok "CSV report lists row, column, value, reason" "$(cat "$T/report.csv")"
fi
check "report as xlsx" 1 "rejected 1" -- Z import enterprises "$T/bad.csv" --report "$T/report.xlsx"
[ "$(head -c 2 "$T/report.xlsx")" = PK ] && ok "xlsx report is a zip" || nok "xlsx report is a zip" "$(head -c 20 "$T/report.xlsx" | od -c | head -2)"

check "--partial writes the good rows" 1 "^imported 1, updated 0, unchanged 0, rejected 1" -- Z import enterprises "$T/bad.csv" --partial
[ "$(count)" = $((before + 1)) ] && ok "one row written" || nok "one row written" "count $(count)"

printf '统一社会信用代码,企业名称\n%s,甲有限公司\n%s,甲二有限公司\n' "$A" "$A" >"$T/twice.csv"
check "one enterprise twice in a file" 1 "rejected row 3, A \(统一社会信用代码\): the same enterprise as row 2" -- Z import enterprises "$T/twice.csv"

check "no header row" 1 "no header row" -- Z import enterprises "$T/report.csv"
printf '信用代码,企业名称,统一社会信用代码\n' >"$T/dup.csv"
check "two columns for one field" 1 "both map to uscc" -- Z import enterprises "$T/dup.csv"
check "missing file" 1 "zhiliang import" -- Z import enterprises "$T/nope.csv"
check "usage: no file" 2 "usage" -- Z import enterprises
check "usage: unknown kind" 2 "usage" -- Z import people "$T/utf8.csv"
check "usage: bad encoding" 2 "usage" -- Z import enterprises "$T/utf8.csv" --encoding latin1
check "usage: bad report type" 2 "usage" -- Z import enterprises "$T/utf8.csv" --report "$T/r.txt"

n_audit=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log WHERE action='enterprise.import';")
detail=$(sqlite3 "$DB" "SELECT detail FROM audit_log WHERE action='enterprise.import' ORDER BY seq DESC LIMIT 1;")
case "$detail" in
*'"file":"bad.csv"'*'"imported":1'*'"rejected":1'*'"partial":true'*) ok "audit row with counts ($n_audit imports audited)" ;;
*) nok "audit row with counts" "$detail" ;;
esac
check "audit chain intact" 0 "" -- Z audit verify

# The journal: the WAL after an import; while another connection holds the database open
# the import does not wait for it and keeps the WAL (a rollback journal needs it alone).
[ "$(sqlite3 "$DB" "PRAGMA journal_mode;")" = wal ] && ok "WAL after the imports" ||
	nok "WAL after the imports" "$(sqlite3 "$DB" "PRAGMA journal_mode;")"
F=91410184MA44T1YQ2D
printf '统一社会信用代码,企业名称\n%s,新郑戊有限公司\n' "$F" >"$T/one.csv"
sqlite3 "$DB" "SELECT count(*) FROM meta;" ".shell sleep 4" >/dev/null &
holder=$!
sleep 1
start=$(date +%s)
check "import beside an open connection" 0 "^imported 1, updated 0, unchanged 0, rejected 0" -- Z import enterprises "$T/one.csv"
[ $(($(date +%s) - start)) -lt 3 ] && ok "... without waiting for it" || nok "... without waiting for it" "$(($(date +%s) - start)) s"
wait "$holder"
[ "$(sqlite3 "$DB" "PRAGMA journal_mode;")" = wal ] && ok "... and the WAL kept" ||
	nok "... and the WAL kept" "$(sqlite3 "$DB" "PRAGMA journal_mode;")"

finish
