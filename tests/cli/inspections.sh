#!/usr/bin/env bash
# tests/cli/inspections.sh - `zhiliang inspections fire-timers` on a scratch
# SQLite demo database, and the same daily run of `zhiliang serve`: the demo's
# inspection under rectification (order received 2014-05-15, rectified by
# 2014-06-16) is left alone inside its period, lapses once it is over, dated
# 2014-06-17 (the day after the period, not the day of the run) in the role
# system, with one audit row by "system"; a second run fires nothing; the
# exits (2 for a usage error); the server's run logged when it starts, and
# none with the setting timers = off.
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

command -v sqlite3 >/dev/null || { nok "sqlite3 shell" "not installed (apt-get install sqlite3)"; finish; }

DB="$T/zl.db"
Z() { "$BIN" --db "sqlite:$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

check "help lists inspections" 0 "^  inspections " -- "$BIN" help
check "help inspections shows the usage" 0 "^usage: zhiliang inspections fire-timers \[--today YYYY-MM-DD\]" -- "$BIN" help inspections
check "init --demo" 0 "" -- Z init --demo
id=$(q "SELECT id FROM inspections WHERE state = 'rectifying'")
[ -n "$id" ] && ok "the demo has an inspection under rectification" || nok "the demo has an inspection under rectification" "none"

check "inside the period: nothing fired" 0 "^timers of 2014-06-16: 1 inspections with a timer, 0 steps fired, 0 skipped$" -- Z inspections fire-timers --today 2014-06-16
[ "$(q "SELECT state FROM inspections WHERE id = $id")" = rectifying ] && ok "still rectifying" || nok "still rectifying" "$(q "SELECT state FROM inspections WHERE id = $id")"
check "past the period: lapse fired" 0 "^timers of 2014-07-01: 1 inspections with a timer, 1 steps fired \(lapse 1\), 0 skipped$" -- Z inspections fire-timers --today=2014-07-01
[ "$(q "SELECT state FROM inspections WHERE id = $id")" = uncorrected ] && ok "uncorrected" || nok "uncorrected" "$(q "SELECT state FROM inspections WHERE id = $id")"
got=$(q "SELECT event || ' ' || role || ' ' || actor || ' ' || on_date FROM inspection_events WHERE inspection_id = $id ORDER BY seq DESC LIMIT 1")
[ "$got" = "lapse system system 2014-06-17" ] && ok "history: lapse by system on the day after the period" || nok "history: lapse by system on the day after the period" "$got"
check "audit: one row by system" 0 "system	[^	]*	inspection.lapse	inspection:$id		rectifying -> uncorrected on 2014-06-17 as system" -- Z audit list --actor system
[ "$(grep -c . "$T/out")" = 1 ] && ok "audit: exactly one row" || nok "audit: exactly one row" "$(cat "$T/out")"
check "audit trail intact" 0 "intact" -- Z audit verify
check "again: nothing to fire" 0 "^timers of 2014-07-01: 0 inspections with a timer, 0 steps fired, 0 skipped$" -- Z inspections fire-timers --today 2014-07-01

check "usage: no subcommand" 2 "usage: zhiliang inspections fire-timers" -- Z inspections
check "usage: unknown subcommand" 2 "usage" -- Z inspections fire
check "usage: bad --today" 2 "usage" -- Z inspections fire-timers --today 2014-13-01
check "usage: --today without a value" 2 "usage" -- Z inspections fire-timers --today
check "usage: unknown flag" 2 "usage" -- Z inspections fire-timers --dry-run

# The server fires the timers itself when it starts (and at each new day).
DB2="$T/serve.db"
check "init --demo (for serve)" 0 "" -- "$BIN" --db "sqlite:$DB2" init --demo
if serve_until "$DB2" "$T/server.log" '"timers of '; then
	stop_serve
	grep -Eq '"msg":"timers of [0-9]{4}-[0-9]{2}-[0-9]{2}: 1 inspections with a timer, 1 steps fired \(lapse 1\), 0 skipped"' "$T/server.log" &&
		ok "serve fires the timers at start" || nok "serve fires the timers at start" "$(grep 'timers' "$T/server.log")"
	[ "$(sqlite3 "$DB2" "SELECT state FROM inspections WHERE id = $id")" = uncorrected ] &&
		ok "serve: uncorrected" || nok "serve: uncorrected" "$(sqlite3 "$DB2" "SELECT state FROM inspections WHERE id = $id")"
else
	nok "serve fires the timers at start" "$(tail -5 "$T/server.log")"
fi

# timers = off: the server leaves them (the API suite's fixed demo data).
DB3="$T/off.db"
check "init --demo (for serve, timers off)" 0 "" -- "$BIN" --db "sqlite:$DB3" init --demo
started=
# The timers would run right after the lights, before the loop that handles the signal.
ZHILIANG_TIMERS=off serve_until "$DB3" "$T/server-off.log" '"plan lights of ' && started=1 && stop_serve
if [ -n "$started" ] && ! grep -q '"timers of ' "$T/server-off.log" &&
	[ "$(sqlite3 "$DB3" "SELECT state FROM inspections WHERE id = $id")" = rectifying ]; then
	ok "timers = off: serve fires nothing"
else
	nok "timers = off: serve fires nothing" "$(tail -5 "$T/server-off.log")"
fi
finish
