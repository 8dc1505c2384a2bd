#!/usr/bin/env bash
# tests/cli/plan.sh - `zhiliang plan parse`: the JSON of a synthetic plan
# read as UTF-8, UTF-8 with BOM, GBK and UTF-16 (the same output for all),
# from a file and from stdin; the Henan plan's figures when
# ../shared/plans holds it; the exits: 1 for a text that is no plan, 2 for
# an unreadable file, undecodable bytes (naming the byte offset) and usage
# errors.  JSON is checked with node, which the API tests need anyway.
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DOCS=$ROOT/tests/data/plans
Z() { "$BIN" plan "$@"; }

# json FILE EXPR: prints the value of the JavaScript expression EXPR over d = the JSON in FILE.
json() { node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval(process.argv[2]))' "$1" "$2"; }

check "help lists plan" 0 "^  plan " -- "$BIN" help
check "help plan shows the usage" 0 "^usage: zhiliang plan parse FILE" -- "$BIN" help plan

DOC=$DOCS/05-closing-phrases.txt
check "UTF-8 plan" 0 '^\{"title":"质量强省建设工作分工方案",' -- Z parse "$DOC"
cp "$T/out" "$T/utf8.json"
[ "$(json "$T/utf8.json" 'd.tasks.length')" = 17 ] && ok "17 tasks" || nok "17 tasks" "$(json "$T/utf8.json" 'd.tasks.length')"
[ "$(json "$T/utf8.json" 'd.tasks[0].attributions[0].lead + " " + d.tasks[0].attributions[0].lead_basis')" = "省质监局 stated" ] &&
	ok "task 1: stated lead" || nok "task 1: stated lead" "$(json "$T/utf8.json" 'JSON.stringify(d.tasks[0])')"
[ "$(json "$T/utf8.json" 'd.tasks[14].attributions[0].flags.join() + " " + d.tasks[14].attributions[0].co_leads.join()')" = "co_leads 省质监局,工商局" ] &&
	ok "task 15: co-leads flagged" || nok "task 15: co-leads flagged" "$(json "$T/utf8.json" 'JSON.stringify(d.tasks[14])')"
[ "$(wc -l <"$T/utf8.json")" = 1 ] && ok "one line of JSON" || nok "one line of JSON" "$(wc -l <"$T/utf8.json") lines"

iconv -f UTF-8 -t GBK "$DOC" >"$T/plan-gbk.txt"
check "GBK plan" 0 "" -- Z parse "$T/plan-gbk.txt"
cmp -s "$T/out" "$T/utf8.json" && ok "GBK reads as UTF-8 does" || nok "GBK reads as UTF-8 does" "$(diff "$T/out" "$T/utf8.json" | head -c 300)"
check "GBK plan, --encoding gbk" 0 "" -- Z parse "$T/plan-gbk.txt" --encoding gbk
cmp -s "$T/out" "$T/utf8.json" && ok "--encoding gbk: the same JSON" || nok "--encoding gbk: the same JSON" "differs"

{ printf '\xef\xbb\xbf'; cat "$DOC"; } >"$T/plan-bom.txt"
check "UTF-8 plan with BOM" 0 "" -- Z parse "$T/plan-bom.txt"
cmp -s "$T/out" "$T/utf8.json" && ok "BOM: the same JSON" || nok "BOM: the same JSON" "$(head -c 200 "$T/out")"
check "UTF-8 with BOM, --encoding utf-8" 0 "" -- Z parse "$T/plan-bom.txt" --encoding utf-8
cmp -s "$T/out" "$T/utf8.json" && ok "BOM, --encoding utf-8: the same JSON" || nok "BOM, --encoding utf-8: the same JSON" "differs"

{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$DOC"; } >"$T/plan-utf16.txt"
check "UTF-16LE plan with BOM" 0 "" -- Z parse "$T/plan-utf16.txt"
cmp -s "$T/out" "$T/utf8.json" && ok "UTF-16: the same JSON" || nok "UTF-16: the same JSON" "differs"

check "stdin" 0 "" -- Z parse - <"$T/plan-gbk.txt"
cmp -s "$T/out" "$T/utf8.json" && ok "stdin: the same JSON" || nok "stdin: the same JSON" "differs"

# CRLF line ends change nothing either.
sed 's/$/\r/' "$DOC" >"$T/plan-crlf.txt"
check "CRLF plan" 0 "" -- Z parse "$T/plan-crlf.txt"
cmp -s "$T/out" "$T/utf8.json" && ok "CRLF: the same JSON" || nok "CRLF: the same JSON" "differs"

HENAN=$ROOT/../shared/plans/henan-2014-quality-plan.txt
if [ -f "$HENAN" ]; then
	check "Henan plan" 0 '"issuer":"河南省人民政府办公厅","date":"2014-07-18","lead_rule":"first_listed"' -- Z parse "$HENAN"
	got=$(json "$T/out" '[d.sections.length, d.tasks.length, d.tasks[0].attributions[0].lead, d.tasks[0].attributions[0].lead_basis, d.tasks[1].attributions[0].mode, d.tasks[17].attributions[0].lead].join(" ")')
	[ "$got" = "4 18 省食品药品监管局 stated shared 省质量立省战略工作领导小组" ] && ok "Henan: the issue's figures" || nok "Henan: the issue's figures" "$got"
else
	ok "Henan plan: skipped ($HENAN is not there)"
fi

# Not a plan: exit 1, saying so.
check "prose only is not a plan" 1 "15-prose-only.txt: not a plan: none of its 3 numbered items" -- Z parse "$DOCS/15-prose-only.txt"
[ ! -s "$T/out" ] && ok "not a plan: nothing on stdout" || nok "not a plan: nothing on stdout" "$(head -c 200 "$T/out")"
: >"$T/empty.txt"
check "an empty file is not a plan" 1 "not a plan" -- Z parse "$T/empty.txt"

# Unreadable input: exit 2.
check "missing file" 2 "zhiliang plan: $T/none.txt: No such file" -- Z parse "$T/none.txt"
check "a directory" 2 "is a directory" -- Z parse "$T"
# GBK text (2 bytes a character) with one byte that is no GBK at offset 9.
{ printf '一、任务\n' | iconv -f UTF-8 -t GBK; printf '\xff'; printf '1.检查。\n' | iconv -f UTF-8 -t GBK; } >"$T/bad.txt"
check "undecodable bytes name their offset" 2 "bad.txt is not gb18030 text: invalid GB18030 sequence at byte offset 9 \(line 2\)" -- Z parse "$T/bad.txt"
truncate -s 65M "$T/huge.txt"
check "a file past the 64 MiB cap" 2 "huge.txt: larger than 67108864 bytes, too large for a plan" -- Z parse "$T/huge.txt"
rm -f "$T/huge.txt"
check "GBK read as UTF-8 names the offset" 2 "is not utf-8 text: invalid UTF-8 at byte offset 0 \(line 1\)" -- Z parse "$T/plan-gbk.txt" --encoding utf-8

check "usage: no subcommand" 2 "usage: zhiliang plan parse" -- Z
check "usage: unknown subcommand" 2 "usage" -- Z show "$DOC"
check "usage: no file" 2 "usage" -- Z parse
check "usage: two files" 2 "usage" -- Z parse "$DOC" "$DOC"
check "usage: unknown flag" 2 "usage" -- Z parse "$DOC" --pretty
check "usage: unknown encoding" 2 "usage" -- Z parse "$DOC" --encoding latin1
finish
