#!/usr/bin/env bash
# run.sh - the second half of `make run`: create the demo database on first
# start, then serve.  Honours ZHILIANG_DB and ZHILIANG_ADDR.
set -euo pipefail
cd "$(dirname "$0")/.."

db="${ZHILIANG_DB:-sqlite:./var/zhiliang.db}"
addr="${ZHILIANG_ADDR:-127.0.0.1:8080}"
first=0
case "$db" in
sqlite:*)
	path="${db#sqlite:}"
	[ -e "$path" ] || first=1
	;;
esac
if [ "$first" = 1 ]; then
	echo "First start: creating the demo database $db"
	./zhiliang --db "$db" init --demo
else
	./zhiliang --db "$db" migrate >/dev/null
fi
echo
echo "Zhiliang: open http://$addr/ in a browser (Ctrl-C stops the server)."
# `init --demo` keeps the demo administrator's login beside a SQLite database.
if [ -n "${path:-}" ] && [ -r "$(dirname "$path")/demo-login.txt" ]; then
	read -r demo_user demo_pw <"$(dirname "$path")/demo-login.txt"
	echo "Demo administrator login: $demo_user / $demo_pw"
fi
echo
exec ./zhiliang --db "$db" --addr "$addr" serve
