# tests/cli/lib.bash - what every CLI test script shares (sourced, not run:
# scripts/test.sh runs tests/cli/*.sh only).  Sets BIN (from ZL_BIN, default
# ./zhiliang) and a scratch directory T removed on exit; ok/nok count and
# print TAP-like lines; check runs a command and tests its exit status and
# output; finish prints "N passed, N failed" and exits (non-zero on failure).
set -u
BIN=${ZL_BIN:-./zhiliang}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
n=0

ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1: $2"; }

# check NAME EXPECTED_STATUS GREP_PATTERN -- command... (pattern "" = no output check)
check() {
	local name=$1 want=$2 pat=$3 rc
	shift 4
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		nok "$name" "exit $rc, expected $want; out: $(head -c 300 "$T/out") err: $(head -c 600 "$T/err")"
	elif [ -n "$pat" ] && ! grep -Eq -- "$pat" "$T/out" "$T/err"; then
		nok "$name" "output does not match /$pat/: $(head -c 300 "$T/out") $(head -c 600 "$T/err")"
	else
		ok "$name"
	fi
}

# serve_until DB LOG PATTERN: start `$BIN serve` on the SQLite file DB, on a random port (another
# tried when it is taken), until LOG matches PATTERN: 0 with the server running as $PID, or 1.
# Settings come from the caller's environment: ZHILIANG_TIMERS=off serve_until ...
serve_until() {
	local db=$1 log=$2 pat=$3 port
	for _ in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 20000))
		"$BIN" --db "sqlite:$db" --addr "127.0.0.1:$port" serve >"$log" 2>&1 &
		PID=$!
		for _ in $(seq 1 50); do
			grep -q -- "$pat" "$log" && return 0
			kill -0 "$PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_serve
	done
	return 1
}

# stop_serve: stop the server serve_until started, and wait for it.
stop_serve() {
	kill -TERM "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}
