#!/usr/bin/env bash
# tests/cli/plan_import.sh - `zhiliang plan import` and `zhiliang plan
# refresh` on a scratch SQLite file with the organization tree, and the
# daily refresh of `zhiliang serve`: the summary (sections, tasks, names
# resolved, the unresolved ones with their task numbers), a dry run that
# stores nothing, a GBK file, the audit row, the owners stored with their
# roles and flags, the same file refused a second time, the exits (1 for a
# text that is no plan, an unknown organization or a missing year; 2 for
# unreadable input, undecodable bytes and usage errors), the refresh's
# counts for a later day, and the server's refresh logged when it starts.
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PLAN=$ROOT/tests/e2e/fixtures/plan-small.txt

command -v sqlite3 >/dev/null || { nok "sqlite3 shell" "not installed (apt-get install sqlite3)"; finish; }
command -v iconv >/dev/null || { nok "iconv" "not installed"; finish; }

DB="$T/zl.db"
Z() { "$BIN" --db "sqlite:$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

check "init" 0 "" -- Z init
check "help plan shows import and refresh" 0 "\| import FILE.*\| refresh" -- "$BIN" help plan

check "dry run: the summary" 0 "^dry run, nothing stored: 示范省质量提升专项行动方案 \(410000, 2026\)" -- Z plan import "$PLAN" --org 410000 --dry-run
grep -q "^2 sections, 4 tasks; 7 department names: 6 resolved, 1 unresolved" "$T/out" &&
	ok "dry run: counts" || nok "dry run: counts" "$(cat "$T/out")"
grep -q "^unresolved: 省统计局 (no organization of that name) in task 3" "$T/out" &&
	ok "dry run: the unresolved name and its task" || nok "dry run: the unresolved name and its task" "$(cat "$T/out")"
[ "$(q 'SELECT count(*) FROM plans')" = 0 ] && ok "dry run: nothing stored" || nok "dry run: nothing stored" "$(q 'SELECT count(*) FROM plans') plans"
[ "$(q "SELECT count(*) FROM audit_log WHERE action = 'plan.import'")" = 0 ] &&
	ok "dry run: not audited" || nok "dry run: not audited" "audited"

check "import" 0 "^stored plan 1: 示范省质量提升专项行动方案 \(410000, 2026\)" -- Z plan import "$PLAN" --org 410000 --deadline 2026-12-31
grep -q "^unresolved: 省统计局" "$T/out" && ok "import: unresolved listed, exit 0" || nok "import: unresolved listed, exit 0" "$(cat "$T/out")"
[ "$(q "SELECT title || '|' || year || '|' || org || '|' || lead_rule || '|' || source_name FROM plans")" = "示范省质量提升专项行动方案|2026|410000|first_listed|plan-small.txt" ] &&
	ok "the plan's facts" || nok "the plan's facts" "$(q 'SELECT * FROM plans')"
[ "$(q "SELECT source_sha256 FROM plans")" = "$(sha256sum "$PLAN" | cut -c1-64)" ] &&
	ok "the file's SHA-256 kept" || nok "the file's SHA-256 kept" "$(q 'SELECT source_sha256 FROM plans')"
[ "$(q "SELECT group_concat(number || ':' || section || ':' || deadline, ' ') FROM (SELECT * FROM plan_tasks ORDER BY ord)")" = "1:一:2026-12-31 2:一:2026-12-31 3:二:2026-12-31 4:二:2026-12-31" ] &&
	ok "tasks with sections and the deadline" || nok "tasks with sections and the deadline" "$(q 'SELECT number, section, deadline FROM plan_tasks')"
owners=$(q "SELECT group_concat(t.number || ':' || o.name || ':' || o.role || ':' || coalesce(o.org, '-') || ':' || o.flags, ' ') FROM (SELECT * FROM plan_task_owners ORDER BY task_id, ord) o JOIN plan_tasks t ON t.id = o.task_id")
want="1:省质监局:lead:410000-D006:stated 1:教育厅:co:410000-D003: 2:省质监局:lead:410000-D006:explicit 2:公安厅:co:410000-D004: 3:省食品药品监管局:lead:410000-D002:stated 3:教育厅:co:410000-D003: 3:省统计局:co:-: 4::unnamed:-:open_ended"
[ "$owners" = "$want" ] && ok "owners in order with roles, organizations and flags" || nok "owners in order with roles, organizations and flags" "$owners"
[ "$(q "SELECT actor || ' ' || target FROM audit_log WHERE action = 'plan.import'")" = "cli:$(id -un) plan:1" ] &&
	ok "audited as plan.import" || nok "audited as plan.import" "$(q "SELECT * FROM audit_log WHERE action = 'plan.import'")"
q "SELECT detail FROM audit_log WHERE action = 'plan.import'" | grep -q '"tasks":4,"names":7,"unresolved":1' &&
	ok "the audit row counts" || nok "the audit row counts" "$(q "SELECT detail FROM audit_log WHERE action = 'plan.import'")"
check "audit verify" 0 "intact" -- Z audit verify

check "the same file again: refused" 1 "410000 already has a plan imported from this file" -- Z plan import "$PLAN" --org 410000
iconv -f UTF-8 -t GBK "$PLAN" >"$T/plan-gbk.txt"
check "GBK, for 郑州" 0 "^stored plan 2: .*\(410100, 2026\)" -- Z plan import "$T/plan-gbk.txt" --org 410100
check "GBK forced as UTF-8: exit 2 naming the offset" 2 "plan-gbk.txt is not utf-8 text: invalid UTF-8 at byte offset" -- Z plan import "$T/plan-gbk.txt" --org 410300 --encoding utf-8
check "not a plan: exit 1" 1 "15-prose-only.txt: not a plan" -- Z plan import "$ROOT/tests/data/plans/15-prose-only.txt" --org 410000
printf '工作要点\n1.开展抽查。（省质监局负责）\n' >"$T/undated.txt"
check "no date and no --year: exit 1 naming it" 1 "states no date: give the plan's year \(year\)" -- Z plan import "$T/undated.txt" --org 410000
check "--year" 0 "^stored plan 3: 工作要点 \(410000, 2015\)" -- Z plan import "$T/undated.txt" --org 410000 --year 2015
check "unknown organization: exit 1" 1 "no organization 999999" -- Z plan import "$PLAN" --org 999999
check "missing file: exit 2" 2 "No such file" -- Z plan import "$T/none.txt" --org 410000
check "usage: no --org" 2 "usage: zhiliang plan" -- Z plan import "$PLAN"
check "usage: bad --deadline" 2 "usage" -- Z plan import "$PLAN" --org 410000 --deadline 2026-13-01
check "usage: bad --year" 2 "usage" -- Z plan import "$PLAN" --org 410000 --year 14
check "usage: unknown encoding" 2 "usage" -- Z plan import "$PLAN" --org 410000 --encoding latin1
[ "$(q 'SELECT count(*) FROM plans')" = 3 ] && ok "refusals stored nothing" || nok "refusals stored nothing" "$(q 'SELECT count(*) FROM plans') plans"

# The lights for a day past the deadline: every open task of plan 1 turns red.
check "refresh for a later day" 0 "^lights of 2027-01-05: [0-9]+ open tasks evaluated, [1-9][0-9]* changed" -- Z plan refresh --date 2027-01-05
[ "$(q "SELECT group_concat(light) FROM plan_tasks WHERE plan_id = 1")" = "red,red,red,red" ] &&
	ok "stored lights are red" || nok "stored lights are red" "$(q 'SELECT number, light FROM plan_tasks WHERE plan_id = 1')"
check "refresh again the same day: nothing changes" 0 "open tasks evaluated, 0 changed, 0 notifications" -- Z plan refresh --date 2027-01-05
check "refresh: bad date" 2 "usage" -- Z plan refresh --date tomorrow

# The server runs the refresh itself when it starts (and at each new day).
if serve_until "$DB" "$T/server.log" '"plan lights of '; then
	stop_serve
	grep -Eq '"msg":"plan lights of [0-9]{4}-[0-9]{2}-[0-9]{2}: [0-9]+ open tasks evaluated' "$T/server.log" &&
		ok "serve refreshes the lights at start" || nok "serve refreshes the lights at start" "$(grep 'plan lights' "$T/server.log")"
else
	nok "serve refreshes the lights at start" "$(tail -5 "$T/server.log")"
fi
finish
