#!/usr/bin/env bash
# tests/cli/audit.sh - `zhiliang audit` end to end on a scratch SQLite file:
# verify on a fresh trail, rows appended by an independent implementation of
# the chain (printf + sha256sum + the sqlite3 shell, as docs/audit.md
# defines it) verify as intact, the auditor's script of docs/audit.md agrees,
# and rows tampered with by hand (sqlite3, after dropping the append-only
# triggers) make `audit verify` exit 1 naming the first broken row.
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

command -v sqlite3 >/dev/null || { nok "sqlite3 shell" "not installed (apt-get install sqlite3)"; finish; }

# The chain as docs/audit.md defines it, computed without zhiliang.
ns() { printf '%d:%s,' "$(printf '%s' "$1" | wc -c)" "$1"; }
sql_quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }
# append_row FILE SEQ PREV ACTOR ACTION TARGET DETAIL -> prints the new row_hash
append_row() {
	local file=$1 seq=$2 prev=$3 actor=$4 action=$5 target=$6 detail=$7 at h
	at=2014-07-18T08:3$((seq % 10)):00.000000Z
	h=$(printf '%s' "$(ns "$seq")$(ns "$at")$(ns "$actor")$(ns 410000)$(ns "$action")$(ns "$target")$(ns '')$(ns '')$(ns '')$(ns "$detail")$(ns "$prev")" |
		sha256sum | cut -d' ' -f1)
	sqlite3 "$file" "INSERT INTO audit_log (seq, at, actor, org, action, target, detail, prev_hash, row_hash)
		VALUES ($seq, '$at', $(sql_quote "$actor"), '410000', $(sql_quote "$action"),
		$(sql_quote "$target"), $(sql_quote "$detail"), '$prev', '$h');" || return 1
	echo "$h"
}

# The auditor's script, exactly as docs/audit.md prints it.
sed -n '/<!-- verify_audit.py begin/,/<!-- verify_audit.py end/p' "$ROOT/docs/audit.md" |
	sed '1,2d;$d' | sed '$d' >"$T/verify_audit.py"
doc_verify() { sqlite3 -json "$1" 'SELECT * FROM audit_log ORDER BY seq' | python3 "$T/verify_audit.py"; }

F=$T/a.db
DB="sqlite:$F"
check "init" 0 '' -- "$BIN" --db "$DB" init
check "verify after init" 0 '^audit trail intact: [0-9]+ rows$' -- "$BIN" --db "$DB" audit verify
check "head after init" 0 '^[0-9]+:[0-9a-f]{64}$' -- "$BIN" --db "$DB" audit head
head0=$("$BIN" --db "$DB" audit head 2>/dev/null)
base=${head0%%:*}
prev=${head0#*:}
if [ "$base" -eq 0 ] && [ "$prev" = "0000000000000000000000000000000000000000000000000000000000000000" ]; then
	ok "empty trail's head is 0 and the genesis hash"
elif [ "$base" -gt 0 ]; then
	ok "init recorded $base audit row(s)"
else
	nok "head" "$head0"
fi

# Three rows made by the shell implementation continue the chain.
s1=$((base + 1)) s2=$((base + 2)) s3=$((base + 3))
prev=$(append_row "$F" $s1 "$prev" admin user.create user:zhang "创建用户 zhang") &&
	prev=$(append_row "$F" $s2 "$prev" admin org.update org:410100 "tab	and 'quote'") &&
	prev=$(append_row "$F" $s3 "$prev" token:ab12 user.disable user:li "a,b:c") ||
	nok "append with sqlite3" "insert failed"
check "rows chained by sha256sum verify" 0 "^audit trail intact: $s3 rows\$" -- "$BIN" --db "$DB" audit verify
check "head is the last row" 0 "^$s3:$prev\$" -- "$BIN" --db "$DB" audit head
head1="$s3:$prev"
if command -v python3 >/dev/null && [ -s "$T/verify_audit.py" ]; then
	check "docs/audit.md script agrees" 0 "^audit trail intact: $s3 rows \\(head $head1\\)\$" -- doc_verify "$F"
else
	nok "docs/audit.md script" "python3 missing or script not found in docs/audit.md"
fi
check "verify --head with the recorded head" 0 "row $s3 matches the recorded head" -- "$BIN" --db "$DB" audit verify --head "$head1"
check "list newest first, tab-separated" 0 "^$s3	[^	]+	token:ab12	410000	user.disable	user:li	" -- "$BIN" --db "$DB" audit list
"$BIN" --db "$DB" audit list --limit 2 >"$T/list" 2>&1
if [ "$(wc -l <"$T/list")" -eq 2 ] && grep -q "tab and 'quote'" "$T/list"; then
	ok "list --limit 2; a tab inside a field becomes a space"
else
	nok "list --limit 2" "$(cat "$T/list")"
fi
check "list --actor" 0 "^$s1	.*user:zhang" -- "$BIN" --db "$DB" audit list --action user.create --actor admin

# The triggers refuse changes made by hand.
if sqlite3 "$F" "UPDATE audit_log SET detail = 'x' WHERE seq = $s2" 2>"$T/err"; then
	nok "trigger rejects UPDATE" "update succeeded"
else
	grep -q 'append-only' "$T/err" && ok "trigger rejects UPDATE" || nok "trigger rejects UPDATE" "$(cat "$T/err")"
fi
if sqlite3 "$F" "DELETE FROM audit_log WHERE seq = $s2" 2>"$T/err"; then
	nok "trigger rejects DELETE" "delete succeeded"
else
	grep -q 'append-only' "$T/err" && ok "trigger rejects DELETE" || nok "trigger rejects DELETE" "$(cat "$T/err")"
fi
check "still intact" 0 "^audit trail intact: $s3 rows\$" -- "$BIN" --db "$DB" audit verify

# tamper COPY SQL: a copy of the database, triggers dropped, SQL applied.
tamper() {
	cp "$F" "$T/$1.db"
	sqlite3 "$T/$1.db" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; $2"
}
tamper alter "UPDATE audit_log SET actor = 'someone' WHERE seq = $s2"
check "altered row: exit 1 naming it" 1 "^audit trail broken at row $s2: row_hash mismatch" -- "$BIN" --db "sqlite:$T/alter.db" audit verify
check "altered row: docs script agrees" 1 "^audit trail broken at row $s2: row_hash mismatch" -- doc_verify "$T/alter.db"
tamper delete "DELETE FROM audit_log WHERE seq = $s2"
check "deleted row: the gap is named" 1 "^audit trail broken at row $s3: gap: expected seq $s2" -- "$BIN" --db "sqlite:$T/delete.db" audit verify
tamper reorder "UPDATE audit_log SET seq = -1 WHERE seq = $s1; UPDATE audit_log SET seq = $s1 WHERE seq = $s3;
	UPDATE audit_log SET seq = $s3 WHERE seq = -1"
check "reordered rows: the first is named" 1 "^audit trail broken at row $s1: prev_hash" -- "$BIN" --db "sqlite:$T/reorder.db" audit verify
tamper truncate "DELETE FROM audit_log WHERE seq = $s3"
check "cut-off tail: the chain alone cannot tell" 0 "^audit trail intact: $s2 rows\$" -- "$BIN" --db "sqlite:$T/truncate.db" audit verify
check "cut-off tail: the recorded head can" 1 "^audit trail broken at row $s3: row missing" -- "$BIN" --db "sqlite:$T/truncate.db" audit verify --head "$head1"
# A rewrite from row s2 on, re-hashed with the public algorithm, is a valid chain...
cp "$F" "$T/rewrite.db"
sqlite3 "$T/rewrite.db" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
	DELETE FROM audit_log WHERE seq >= $s2"
p=$(sqlite3 "$T/rewrite.db" "SELECT row_hash FROM audit_log WHERE seq = $s1")
p=$(append_row "$T/rewrite.db" $s2 "$p" admin org.update org:410100 "forged") &&
	p=$(append_row "$T/rewrite.db" $s3 "$p" token:ab12 user.disable user:li "a,b:c")
check "rewritten tail: the chain alone cannot tell" 0 "^audit trail intact: $s3 rows\$" -- "$BIN" --db "sqlite:$T/rewrite.db" audit verify
# ...but not the same head.
check "rewritten tail: the recorded head can" 1 "^audit trail broken at row $s3: row_hash differs" -- "$BIN" --db "sqlite:$T/rewrite.db" audit verify --head "$head1"

# usage
check "audit without subcommand is usage" 2 'usage: zhiliang audit' -- "$BIN" --db "$DB" audit
check "audit unknown subcommand is usage" 2 'usage' -- "$BIN" --db "$DB" audit frob
check "verify unknown flag is usage" 2 'usage' -- "$BIN" --db "$DB" audit verify --frob
check "verify --head malformed is usage" 2 'SEQ:HASH' -- "$BIN" --db "$DB" audit verify --head 3:abc
check "list --limit 0 is usage" 2 'limit' -- "$BIN" --db "$DB" audit list --limit 0
check "head with an argument is usage" 2 'usage' -- "$BIN" --db "$DB" audit head x
check "help lists audit" 0 '^  audit ' -- "$BIN" help

finish
