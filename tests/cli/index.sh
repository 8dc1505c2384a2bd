#!/usr/bin/env bash
# tests/cli/index.sh - `zhiliang index rebuild | stats` on a scratch SQLite
# file: the counts, a rebuild that folds the delta rows into blobs and keeps
# every posting, the rebuild of a lost index, its audit row, usage errors.
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

command -v sqlite3 >/dev/null || { nok "sqlite3 shell" "not installed (apt-get install sqlite3)"; finish; }

DB="$T/zl.db"
Z() { "$BIN" --db "sqlite:$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

check "init" 0 "" -- Z init
check "stats of an empty index" 0 "^grams 0$" -- Z index stats
check "stats --json of an empty index" 0 '^\{"grams":0,"delta":0\}$' -- Z index stats --json

# Two enterprises by import (blobs), one former name by hand (no posting yet).
A=914112810713741814
B=91440300192317458F
printf '统一社会信用代码,企业名称\n%s,义马甲机械有限公司\n%s,郑州乙机械有限公司\n' "$A" "$B" >"$T/two.csv"
check "import" 0 "^imported 2" -- Z import enterprises "$T/two.csv"
grams=$(q "SELECT count(*) FROM enterprise_postings;")
[ "$grams" -gt 10 ] && ok "import wrote blobs ($grams grams)" || nok "import wrote blobs" "$grams"
check "stats counts the blobs" 0 "^grams $grams$" -- Z index stats
# Delta rows as a single edit leaves them (the gram of both names, one new).
EA=$(q "SELECT eid FROM enterprises WHERE uscc='$A';")
q "INSERT INTO enterprise_gram_delta (gram, eid) VALUES ('机械', $EA), ('zz', $EA);"
check "stats counts the delta rows" 0 '^\{"grams":'"$grams"',"delta":2\}$' -- Z index stats --json
q "INSERT INTO enterprise_former_names (uscc, name, valid_to) VALUES ('$A', '义马老厂', '2001-01-01');"

check "rebuild" 0 "^rebuilt the name index: [0-9]+ grams, 0 delta rows" -- Z index rebuild
[ "$(q "SELECT count(*) FROM enterprise_gram_delta;")" = 0 ] && ok "no delta row after a rebuild" || nok "no delta row after a rebuild" "$(q "SELECT count(*) FROM enterprise_gram_delta;")"
[ "$(q "SELECT n FROM enterprise_postings WHERE gram = '机械';")" = 2 ] && ok "a gram of both names lists both" || nok "a gram of both names lists both" "$(q "SELECT n FROM enterprise_postings WHERE gram = '机械';")"
[ "$(q "SELECT count(*) FROM enterprise_postings WHERE gram IN ('老厂', '义马老');")" = 2 ] && ok "the former name is indexed" || nok "the former name is indexed" "$(q "SELECT gram FROM enterprise_postings;")"
[ "$(q "SELECT count(*) FROM enterprise_postings WHERE gram = 'zz';")" = 0 ] && ok "a posting of no name is dropped" || nok "a posting of no name is dropped" "zz still there"
after=$(q "SELECT count(*) FROM enterprise_postings;")
[ "$after" = $((grams + 4)) ] && ok "grams: the import's plus the four new of the former name" || nok "grams after rebuild" "$after, was $grams"

# A lost index comes back whole.
sig() { q "SELECT group_concat(gram || ':' || n || ':' || hex(ids), ';') FROM (SELECT * FROM enterprise_postings ORDER BY gram);"; }
before=$(sig)
q "DELETE FROM enterprise_postings;"
check "rebuild of a lost index" 0 "rebuilt the name index: $after grams" -- Z index rebuild
[ "$(sig)" = "$before" ] && ok "the same blobs, byte for byte" || nok "the same blobs" "differ"

detail=$(q "SELECT actor || ' ' || target || ' ' || detail FROM audit_log WHERE action='enterprise.index_rebuild' ORDER BY seq DESC LIMIT 1;")
case "$detail" in
cli:*' enterprise_index {"grams_before":0,"delta_before":0,"grams":'"$after"'}') ok "audited" ;;
*) nok "audited" "$detail" ;;
esac
[ "$(q "SELECT count(*) FROM audit_log WHERE action='enterprise.index_rebuild';")" = 2 ] && ok "one audit row per rebuild" || nok "one audit row per rebuild" "$(q "SELECT count(*) FROM audit_log WHERE action='enterprise.index_rebuild';")"

if command -v script >/dev/null; then
	script -qec "$BIN --db sqlite:$DB index rebuild" /dev/null >"$T/tty" 2>&1
	if grep -q "rebuilding the name index ($after grams, 0 delta rows)" "$T/tty" && grep -q "rebuilt the name index" "$T/tty"; then
		ok "what is being done, on a terminal"
	else
		nok "what is being done, on a terminal" "$(head -c 600 "$T/tty" | tr '\r' '|')"
	fi
fi

check "usage: no subcommand" 2 "usage: zhiliang index" -- Z index
check "usage: unknown subcommand" 2 "usage" -- Z index drop
check "usage: rebuild takes no argument" 2 "usage" -- Z index rebuild now
check "usage: unknown stats flag" 2 "usage" -- Z index stats --xml
check "help lists index" 0 "^  index " -- "$BIN" help
finish
