#!/usr/bin/env bash
# tests/cli/stats.sh - `zhiliang stats rebuild | show` on a scratch SQLite
# file: inspections written behind the program's back (as an old database
# or a bulk load leaves them) are counted by a rebuild, which is audited;
# show groups them by one or two dimensions with filters, as a table and as
# JSON lines; usage errors.
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

command -v sqlite3 >/dev/null || { nok "sqlite3 shell" "not installed (apt-get install sqlite3)"; finish; }

DB="$T/zl.db"
Z() { "$BIN" --db "sqlite:$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

check "init" 0 "" -- Z init
check "rebuild of nothing" 0 "^rebuilt the statistics: 0 tested batches, 0 groups" -- Z stats rebuild

# Six inspections: 4 tested in 郑州 (2014Q1 x2, 2014Q3, one failed), 1 in 济源 (failed),
# one only sampled (not counted), one cancelled (not counted).
ins() { # id county state conclusion sampled_on uscc size
	q "INSERT INTO inspections (id, plan_id, product, uscc, enterprise_name, county, region, gov,
	   created_by, created_at, updated_by, updated_at, state, conclusion, sampled_on, size_class,
	   level, place) VALUES ($1, 1, '0101', '$6', 'E', '$2', '$2', '410000', 't', 'x', 't', 'x',
	   '$3', '$4', '$5', '$7', 'province', 'production');"
}
ins 1 410102 closed pass 2014-01-10 A large
ins 2 410105 failed fail 2014-02-10 B small
ins 3 410102 closed pass 2014-08-10 A large
ins 4 410181 closed pass 2014-03-31 C small
ins 5 419001 failed fail 2014-05-01 D small
ins 6 410102 sampled '' 2014-05-01 E small
ins 7 410102 cancelled '' 2014-05-01 F small
check "rebuild counts the tested" 0 "^rebuilt the statistics: 5 tested batches, [0-9]+ groups" -- Z stats rebuild
a=$(q "SELECT detail FROM audit_log WHERE action='stats.rebuild' ORDER BY seq DESC LIMIT 1;")
case "$a" in '{"facts":5,"groups":'*) ok "audited" ;; *) nok "audited" "$a" ;; esac

check "by region" 0 "^410100 +4 +1 +75.00%" -- Z stats show --by region
check "济源 is its own city-level unit" 0 "^419001 +1 +1 +0.00%" -- Z stats show --by region
check "total: 4 distinct enterprises" 0 "^total +5 +2 +60.00% \[ 23.07%,  88.24%\] +4  unreliable" -- Z stats show --by region
check "by region, quarter" 0 "^410100 +2014Q1 +3 +1 " -- Z stats show --by region,quarter --year 2014
check "a county filter" 0 "^2014Q3 +1 +0 +100.00%" -- Z stats show --by quarter --region 410102
# One enterprise in two quarters: counted once in the total (distinct, not per cell).
check "distinct enterprises across cells" 0 "^total +2 +0 +100.00% .* +1  unreliable" -- Z stats show --by quarter --region 410102
check "a quarter range" 0 "^total +4 +2 " -- Z stats show --by size --from 2014Q1 --to 2014Q2
check "json lines" 0 '^\{"size":"small","batches":3,"failed":2,' -- Z stats show --by size --json
check "enterprises per cell" 0 '"region":"410100","quarter":"2014Q1","batches":3,"failed":1,.*"enterprises":3,"enterprises_failed":1' -- Z stats show --by region,quarter --json

check "no --by" 2 "usage" -- Z stats show
check "an unknown dimension" 2 "usage" -- Z stats show --by colour
check "three dimensions" 2 "usage" -- Z stats show --by region,quarter,size
check "a bad quarter" 2 "usage" -- Z stats show --by region --from 2014Q5
check "a bad region" 2 "region" -- Z stats show --by region --region 41
check "unknown subcommand" 2 "usage" -- Z stats frobnicate
finish
