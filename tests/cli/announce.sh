#!/usr/bin/env bash
# tests/cli/announce.sh - result announcements end to end on a server of its
# own (`init --demo` on a scratch SQLite file): ugly titles and document
# numbers (& < > " ' ]]> and control characters) survive into a well-formed
# Atom feed (checked with `xmllint --noout` when libxml2-utils is installed,
# scripts/deps.sh test), the feed lists only published announcements, newest
# first, and a bad body names its field.  ZL_BIN names the binary.
# Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

DB="$T/a.db"
PW='Announce-Test-2014!'
export ZHILIANG_DEMO_PASSWORD=$PW
if ! "$BIN" --db "sqlite:$DB" init --demo >"$T/init.log" 2>&1; then
	nok "init --demo" "$(tail -c 300 "$T/init.log")"
	finish
fi
for u in zz.a zz.b; do
	echo "$PW" | "$BIN" --db "sqlite:$DB" user add "$u" --org 410100 --role officer \
		--password-stdin >/dev/null 2>&1 || nok "user add $u" "failed"
done
if ! ZHILIANG_TIMERS=off ZHILIANG_RATE_ANON_PER_MIN=0 ZHILIANG_RATE_LOGIN_PER_MIN=0 \
	serve_until "$DB" "$T/server.log" 'listening on'; then
	nok "serve" "$(tail -c 300 "$T/server.log")"
	finish
fi
BASE=$(grep -o 'http://127.0.0.1:[0-9]*' "$T/server.log" | head -1)

# login USER: cookie jar $T/USER.jar, CSRF token in $T/USER.csrf
login() {
	curl -s -c "$T/$1.jar" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$PW\"}" "$BASE/api/v1/session" |
		grep -o '"csrf_token":"[0-9a-f]*"' | head -1 | cut -d'"' -f4 >"$T/$1.csrf"
}
# call USER METHOD PATH [BODY]: status code; the body in $T/body
call() {
	local data=()
	[ $# -ge 4 ] && data=(-d "$4")
	curl -s -o "$T/body" -w '%{http_code}' -b "$T/$1.jar" -H "X-CSRF-Token: $(cat "$T/$1.csrf")" \
		-H 'Content-Type: application/json' -X "$2" "$BASE$3" "${data[@]}"
}
login zz.a
login zz.b

# A title with every character XML treats specially and two control characters.
TITLE='A&B <公告> "双引号" '"'"'单引号'"'"' ]]> \u0001\u001f end'
s=$(call zz.a POST /api/v1/announcements \
	"{\"org\":\"410100\",\"level\":\"city\",\"title\":\"$(printf '%s' "$TITLE" | sed 's/"/\\"/g; s/\\\\u/\\u/g')\",\"doc_no\":\"郑<&>1号\",\"issued_on\":\"2014-12-01\"}")
[ "$s" = 201 ] && ok "create with an ugly title" || nok "create with an ugly title" "$s $(head -c 300 "$T/body")"
ID=$(grep -o '"id":[0-9]*' "$T/body" | head -1 | cut -d: -f2)

s=$(call zz.a POST "/api/v1/announcements/$ID/results" '{"inspections":"1"}')
[ "$s" = 422 ] && grep -q '"field":"inspections"' "$T/body" && ok "inspections not an array: 422" ||
	nok "inspections not an array: 422" "$s $(head -c 300 "$T/body")"
s=$(call zz.a POST "/api/v1/announcements/$ID/results" '{"inspections":[1,2.5]}')
[ "$s" = 422 ] && grep -q '"field":"inspections\[1\]"' "$T/body" && ok "a fraction: 422 naming inspections[1]" ||
	nok "a fraction: 422 naming inspections[1]" "$s $(head -c 300 "$T/body")"
s=$(call zz.a GET "/api/v1/announcements/$ID")
grep -q '"result_count":0' "$T/body" && ok "nothing half-written" || nok "nothing half-written" "$(head -c 300 "$T/body")"

# The empty feed is well-formed too.
curl -s -D "$T/h0" -o "$T/feed0.xml" "$BASE/api/v1/public/announcements.atom"
grep -qi '^Content-Type: application/atom+xml' "$T/h0" && ok "feed content type" || nok "feed content type" "$(cat "$T/h0")"
grep -q '<entry>' "$T/feed0.xml" && nok "a draft is not in the feed" "$(head -c 300 "$T/feed0.xml")" || ok "a draft is not in the feed"

s=$(call zz.a POST "/api/v1/announcements/$ID/results" '{"inspections":[1,2]}')
[ "$s" = 200 ] && ok "add results" || nok "add results" "$s $(head -c 300 "$T/body")"
s=$(call zz.a POST "/api/v1/announcements/$ID/submit")
[ "$s" = 200 ] && ok "submit" || nok "submit" "$s $(head -c 300 "$T/body")"
s=$(call zz.b POST "/api/v1/announcements/$ID/approve")
[ "$s" = 200 ] && ok "approve by another" || nok "approve by another" "$s $(head -c 300 "$T/body")"

curl -s -o "$T/feed.xml" "$BASE/api/v1/public/announcements.atom"
grep -q 'A&amp;B &lt;公告&gt; &quot;双引号&quot; &apos;单引号&apos; ]]&gt;  end</title>' "$T/feed.xml" &&
	ok "title escaped, control characters dropped" ||
	nok "title escaped, control characters dropped" "$(grep -m1 -A1 '<entry>' "$T/feed.xml")"
grep -q '郑&lt;&amp;&gt;1号' "$T/feed.xml" && ok "doc_no escaped" || nok "doc_no escaped" "$(grep summary "$T/feed.xml")"
if command -v xmllint >/dev/null 2>&1; then
	for f in feed0 feed; do
		if xmllint --noout "$T/$f.xml" 2>"$T/xmllint.err"; then
			ok "xmllint: $f well-formed"
		else
			nok "xmllint: $f well-formed" "$(head -c 300 "$T/xmllint.err")"
		fi
	done
else
	echo "# xmllint not installed (libxml2-utils): well-formedness not checked"
fi
[ "$(grep -c '<entry>' "$T/feed.xml")" = 1 ] && ok "one entry" || nok "one entry" "$(grep -c '<entry>' "$T/feed.xml")"
stop_serve
finish
