#!/usr/bin/env bash
# test.sh - run every test suite of Zhiliang and print one total line.
#
# Suites: C unit tests (release and AddressSanitizer+UBSan builds), the store
# suite against SQLite and a real PostgreSQL 15 started here, CLI tests, the
# API case files against a running server (release on SQLite and PostgreSQL,
# ASan on SQLite), the browser test in headless Chromium, a docs drift check
# and a short run of every fuzz target.  The last line is "N passed, N failed".
# Set ZL_SUITES="unit store api" (any subset of: unit store cli api docs e2e
# fuzz) to run fewer suites.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SUITES=" ${ZL_SUITES:-unit store cli api docs e2e fuzz} "
OUT=$ROOT/tests/out
rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/zl-test.XXXXXX)
chmod 755 "$TMP"
PASS=0
FAIL=0
SERVER_PID=
PG_DIR=

cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
	[ -n "$PG_DIR" ] && scripts/pg.sh stop "$PG_DIR" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

want() { [[ "$SUITES" == *" $1 "* ]]; }

record() { # label passed failed
	printf '%-48s %4d passed, %d failed\n' "$1" "$2" "$3"
	PASS=$((PASS + $2))
	FAIL=$((FAIL + $3))
}

# A cmocka program: counts from its summary; a crash with no summary is a failure.
run_cmocka() { # label log binary [args]
	local label=$1 log=$2 p f rc
	shift 2
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -Eo '^\[  PASSED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
	f=$(grep -Eo '^\[  FAILED  \] [0-9]+' "$log" | awk '{s+=$4} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	[ "$f" -ne 0 ] && { echo "--- $label: see $log"; grep -E 'FAILED|ERROR|error|Assert' "$log" | head -20; }
	record "$label" "$p" "$f"
}

# A runner that ends with "N passed, N failed".
run_counted() { # label log cmd...
	local label=$1 log=$2 line p f rc
	shift 2
	"$@" >"$log" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	p=$(echo "$line" | awk '{print $1+0}')
	f=$(echo "$line" | awk '{print $3+0}')
	if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then f=$((f + 1)); fi
	[ "$f" -ne 0 ] && { echo "--- $label: see $log"; grep -E 'not ok|Error|error' "$log" | head -20; }
	record "$label" "${p:-0}" "$f"
}

free_port() {
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 20000))
		ss -ltn 2>/dev/null | grep -q ":$port " || { echo "$port"; return; }
	done
	echo 28080
}

# start_server BIN DBURL LOG [WEBROOT] -> sets SERVER_PID and BASE
start_server() {
	local bin=$1 db=$2 log=$3 root=${4:-$ROOT/web/dist} port
	port=$(free_port)
	BASE="http://127.0.0.1:$port"
	"$bin" --db "$db" init --demo >"$log.init" 2>&1 || { echo "init failed: $log.init"; cat "$log.init"; return 1; }
	# Rate limits off: the matrix sends thousands of requests from one address
	# (tests/cli/ratelimit.sh covers the limits themselves).  Timers off: the
	# cases expect the demo's 2014 inspections as init left them, the ready
	# timers on the task lists (tests/cli/inspections.sh covers the timers).
	ZHILIANG_RATE_ANON_PER_MIN=0 ZHILIANG_RATE_LOGIN_PER_MIN=0 ZHILIANG_TIMERS=off \
		ZHILIANG_WEB_ROOT="$root" "$bin" --db "$db" --addr "127.0.0.1:$port" serve >"$log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 100); do
		curl -fsS "$BASE/healthz" >/dev/null 2>&1 && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "server did not start: $log"
	tail -20 "$log"
	return 1
}

stop_server() { # log -> 0 when the server stopped cleanly without sanitizer reports
	local log=$1 rc
	[ -z "$SERVER_PID" ] && return 1
	kill -TERM "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID"
	rc=$?
	SERVER_PID=
	if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log"; then
		echo "--- sanitizer report in $log"
		grep -E -A5 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log" | head -30
		return 1
	fi
	[ "$rc" -eq 0 ] || echo "--- server exited with $rc: $log"
	return "$rc"
}

api_suite() { # label bin db
	local label=$1 bin=$2 db=$3 log=$OUT/server-${1// /_}.log
	# The fixture web root has fixed asset names and symlinks pointing out of it.
	if ! start_server "$bin" "$db" "$log" "$ROOT/tests/api/webroot"; then
		record "$label" 0 1
		return
	fi
	run_counted "$label" "$OUT/api-${label// /_}.log" env ZL_BASE_URL="$BASE" ZL_BIN="$bin" \
		ZL_DB="$db" node tests/api/run.mjs
	# Every route of the table against callers of different cities and roles.
	[ -f tests/api/authz_matrix.mjs ] &&
		run_counted "$label: authorization matrix" "$OUT/authz-${label// /_}.log" \
			env ZL_BASE_URL="$BASE" ZL_BIN="$bin" ZL_DB="$db" node tests/api/authz_matrix.mjs
	if stop_server "$log"; then record "$label: clean shutdown" 1 0; else record "$label: clean shutdown" 0 1; fi
}

# The demo administrator that `init --demo` creates gets this password here.
export ZHILIANG_DEMO_PASSWORD=${ZHILIANG_DEMO_PASSWORD:-Henan-Demo-2014!}
export ZL_ADMIN_USER=admin ZL_ADMIN_PASSWORD=$ZHILIANG_DEMO_PASSWORD

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Process-lifetime caches of fontconfig, pango and cairo (tests/lsan.supp says which).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}

if want unit; then
	for mode in release asan; do
		for t in build/$mode/tests/unit/*/test_*; do
			[ -x "$t" ] || continue
			name=${t#build/$mode/tests/unit/}
			run_cmocka "unit $mode $name" "$OUT/unit-$mode-${name//\//-}.log" "$t"
		done
	done
fi

PG_URL=
if want store || want api; then
	PG_DIR=$TMP/pg
	PG_PORT=$(free_port)
	if PG_URL=$(scripts/pg.sh start "$PG_DIR" "$PG_PORT" 2>"$OUT/pg.log"); then
		PG_URL=$(echo "$PG_URL" | tail -1)
	else
		echo "--- PostgreSQL did not start: see $OUT/pg.log"
		cat "$OUT/pg.log" | tail -20
		PG_URL=
		record "postgresql start" 0 1
	fi
fi

if want store; then
	for mode in release asan; do
		for t in build/$mode/tests/store/test_*; do
			[ -x "$t" ] || continue
			n=$(basename "$t")
			run_cmocka "store $mode sqlite $n" "$OUT/store-$mode-sqlite-$n.log" \
				env ZHILIANG_TEST_DB="sqlite:$TMP/store-$mode-$n.db" "$t"
			[ -n "$PG_URL" ] && run_cmocka "store $mode postgres $n" "$OUT/store-$mode-pg-$n.log" \
				env ZHILIANG_TEST_DB="$PG_URL" "$t"
		done
	done
fi

if want cli; then
	run_counted "cli release" "$OUT/cli-release.log" env ZL_BIN="$ROOT/build/release/zhiliang" tests/cli/run.sh
	run_counted "cli asan" "$OUT/cli-asan.log" env ZL_BIN="$ROOT/build/asan/zhiliang" tests/cli/run.sh
	for t in tests/cli/*.sh; do
		[ "$t" = tests/cli/run.sh ] && continue
		n=$(basename "$t" .sh)
		run_counted "cli release $n" "$OUT/cli-release-$n.log" env ZL_BIN="$ROOT/build/release/zhiliang" "$t"
		run_counted "cli asan $n" "$OUT/cli-asan-$n.log" env ZL_BIN="$ROOT/build/asan/zhiliang" "$t"
	done
fi

if want api; then
	api_suite "api release sqlite" "$ROOT/build/release/zhiliang" "sqlite:$TMP/api-release.db"
	api_suite "api asan sqlite" "$ROOT/build/asan/zhiliang" "sqlite:$TMP/api-asan.db"
	if [ -n "$PG_URL" ]; then
		# A fresh schema for the server: the store suite left its tables behind.
		psql "$PG_URL" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' >/dev/null 2>&1
		api_suite "api release postgres" "$ROOT/build/release/zhiliang" "$PG_URL"
	fi
fi

if want docs; then
	if ./zhiliang routes --markdown | diff -u docs/api.md - >"$OUT/docs.log" 2>&1; then
		record "docs/api.md matches the route table" 1 0
	else
		echo "--- docs/api.md is stale: run 'make docs' ($OUT/docs.log)"
		record "docs/api.md matches the route table" 0 1
	fi
fi

if want e2e; then
	log=$OUT/server-e2e.log
	if start_server "$ROOT/build/release/zhiliang" "sqlite:$TMP/e2e.db" "$log"; then
		for t in tests/e2e/*.mjs; do
			n=$(basename "$t" .mjs)
			run_counted "e2e chromium $n" "$OUT/e2e-$n.log" env ZL_BASE_URL="$BASE" node "$t"
		done
		stop_server "$log" >/dev/null
	else
		record "e2e chromium" 0 1
	fi
fi

if want fuzz; then
	if scripts/fuzz.sh build >"$OUT/fuzz-build.log" 2>&1; then
		run_counted "fuzz (short runs)" "$OUT/fuzz.log" scripts/fuzz.sh run "${FUZZ_SECONDS:-5}"
	else
		echo "--- fuzz build failed: $OUT/fuzz-build.log"
		tail -20 "$OUT/fuzz-build.log"
		record "fuzz build" 0 1
	fi
fi

echo
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
