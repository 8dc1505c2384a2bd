#!/usr/bin/env bash
# bench.sh - the performance figures the issues ask for, each measured
# against its named reference in the same run on the same machine.
# docs/bench.md describes every figure, how it is measured and its goal.
#
# Parts (BENCH_ONLY="part ..." runs some of them; default: all, in this order):
#   http    small-JSON throughput of `zhiliang serve` (GET /healthz, which
#           also checks the database, GET /api/v1/version, which does not,
#           and the signed-in GET /api/v1/me) against nginx serving static
#           files of the same sizes: keep-alive, sendfile off, access logs
#           off, server pinned to core 0, `wrk -t1 -c64 -d10s` pinned to
#           core 1; then /healthz again with the access log on.
#   uscc    `zhiliang uscc check -` on 1,000,000 codes: seconds.
#   authz   per-request authorization cost (bench/authz_bench.c).
#   search  name-fragment search latency over SEARCH_NAMES (default
#           1,000,000) names (bench/search_bench.c).
#   plan    (issue 5) the work-plan parser on a document of about 1 MiB
#           (bench/plan_bench.c): a generated plan, and the Henan plan
#           repeated when ../shared/plans holds it; parse alone and parse
#           + JSON (median of 21), then `zhiliang plan parse` end to end.
#   import  (issue 4) import of IMPORT_ROWS (default "1000000 10000000")
#           generated enterprise rows (bench/gen_enterprises.c) from CSV:
#           `zhiliang import enterprises` against `sqlite3 .import` of the
#           same file, and on PostgreSQL (PG_IMPORT_ROWS, default
#           1000000: 10 million rows take 10 more minutes) against a plain
#           server-side `COPY`.  10 million rows need 20 GB free disk and
#           8 GB available memory, or are skipped (said so in the results);
#           an import stopped at IMPORT_TIMEOUT (900 s) is reported as such.
#   draw    (issue 6) a verifiable draw of 1,000 from 1,000,000 weighted
#           candidates in 200 strata (bench/draw_bench.c): the engine's
#           steps, median of 11 (prepare, input commitment, the draw), then
#           `zhiliang draw select --json` and `zhiliang draw verify` end to
#           end on the same candidates written as a CSV file.
#   stats   (issue 7) the grouped statistics query (pass rate by city x
#           quarter) over STATS_ROWS (default 20,000,000) synthetic
#           inspections loaded straight into the table, rollups rebuilt
#           (bench/stats_bench.c): plain SQLite GROUP BY over the raw table,
#           a C loop over in-memory columns, and zl_store_sc_stats() on the
#           rollups; times (median of 11) and ratios.  Loading and
#           rebuilding 20 million rows takes 15-45 minutes on 2 shared cores
#           and about 12 GB of disk under /tmp.
#   lookup  (issue 4) GET /api/v1/public/enterprises/{uscc} (anonymous) and
#           the signed-in GET /api/v1/enterprises/{uscc} over a register of
#           LOOKUP_ROWS (default 1,000,000) enterprises, cycling through
#           10,000 random existing codes (a wrk Lua script), against nginx
#           serving a static file of the size of a typical response to the
#           same request stream: req/s, ratio and p99 latency.
#   scimport (issue 7) `zhiliang import spotchecks` of a generated result
#           table of SC_ROWS (default 1,000,000) rows (docs/results.md): a
#           register of SC_ENTERPRISES (default 10,000) generated
#           enterprises on the demo data, and a CSV with their codes and
#           names, one failed row in ten with two failed items, every row
#           matched by its USCC; rows/s of the whole command.
#
# Throughput on a shared 2-core machine varies by 20% from run to run, so
# each throughput figure is the median of BENCH_ROUNDS (default 3) rounds
# in which the reference and zhiliang are measured alternately.
# BENCH_SECONDS (default 10) sets each wrk run.  Results are printed and
# written to build/bench.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
ONLY=${BENCH_ONLY:-all}
IMPORT_ROWS=${IMPORT_ROWS-1000000 10000000}
PG_IMPORT_ROWS=${PG_IMPORT_ROWS-1000000}
LOOKUP_ROWS=${LOOKUP_ROWS:-1000000}
STATS_ROWS=${STATS_ROWS:-20000000}
IMPORT_TIMEOUT=${IMPORT_TIMEOUT:-900}
GEN=build/release/bench/gen_enterprises
umask 022
T=$(mktemp -d /tmp/zl-bench.XXXXXX)
chmod 755 "$T"
PIDS=()
PG_DIR=
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null || true
	[ -n "$PG_DIR" ] && scripts/pg.sh stop "$PG_DIR" >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
RESULTS=build/bench.txt
mkdir -p build
: >"$RESULTS"
say() { echo "$*" | tee -a "$RESULTS"; }

for p in $ONLY; do
	case "$p" in
	all | http | uscc | authz | search | plan | draw | import | lookup | scimport) ;;
	*)
		echo "bench: unknown part '$p' in BENCH_ONLY (http uscc authz search plan draw import lookup scimport)" >&2
		exit 2
		;;
	esac
done
part() { [ "$ONLY" = all ] || [[ " $ONLY " == *" $1 "* ]]; }

command -v wrk >/dev/null && command -v nginx >/dev/null && command -v sqlite3 >/dev/null &&
	[ -x /usr/lib/postgresql/15/bin/initdb ] || scripts/deps.sh bench

wait_http() {
	for _ in $(seq 1 100); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "bench: $1 did not answer" >&2
	return 1
}

# URL [wrk args] -> requests/s from wrk pinned to core 1; the whole output
# is left in $T/last.out (for p99).  A run with any non-2xx answer (a 401,
# a 404, a 429) measured the wrong thing: stop.
rps() {
	local url=$1 out
	shift
	out=$(taskset -c 1 wrk -t1 -c64 -d"${SECS}s" "$@" "$url")
	echo "$out" >"$T/last.out"
	echo "$out" >>"$T/wrk.log"
	if echo "$out" | grep -q 'Non-2xx'; then
		echo "bench: $url answered non-2xx during the run:" >&2
		echo "$out" >&2
		exit 1
	fi
	echo "$out" | awk '/Requests\/sec:/ {print $2}'
}

# CPU time (user + system, in clock ticks) process $1 has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# rps for the server process $1 (the rest as for rps), also leaving in
# $T/last.cpu the CPU microseconds the server spent per request in the run:
# a figure that, unlike req/s, hardly moves when other work shares the
# machine (it is what a fully busy core would divide).
rps_cpu() {
	local pid=$1 t0 r
	shift
	t0=$(cpu_ticks "$pid")
	r=$(rps "$@")
	awk -v a="$t0" -v b="$(cpu_ticks "$pid")" -v t="$(getconf CLK_TCK)" \
		'/ requests in / {printf "%.1f", (b - a) / t * 1e6 / $1}' "$T/last.out" >"$T/last.cpu"
	echo "$r"
}

# The 99th percentile latency of the last run (wrk --latency) in ms.
p99_last() {
	awk '$1 == "99%" {
		v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
		printf "%.3f", u == "us" ? v / 1000 : u == "s" ? v * 1000 : u == "m" ? v * 60000 : v
	}' "$T/last.out"
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}'; }
per_s() { awk -v n="$1" -v s="$2" 'BEGIN{printf "%.0f", n/s}'; }

say "# Zhiliang bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(uname -r)," \
	"commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
[ "$ONLY" = all ] || say "# parts: $ONLY"

# The per-address rate limits are off: all the load comes from one
# address, and the figure wanted is the cost of serving, not of refusing.
export ZHILIANG_RATE_ANON_PER_MIN=0 ZHILIANG_RATE_LOGIN_PER_MIN=0

# ---- nginx serving static files from $T/www, one worker on core 0.  The
# lookup paths map every code to one file of the size of a typical answer.
NPORT=18482
mkdir -p "$T/www"
start_nginx() {
	[ -f "$T/nginx.pid" ] && return 0
	cat >"$T/nginx.conf" <<NGINX
worker_processes 1;
worker_cpu_affinity 01;
pid $T/nginx.pid;
error_log $T/nginx-error.log;
$([ "$(id -u)" = 0 ] && echo "user root root;")
events { worker_connections 4096; }
http {
	access_log off;
	sendfile off;
	keepalive_timeout 65;
	keepalive_requests 100000000;
	default_type application/json;
	server {
		listen 127.0.0.1:$NPORT;
		root $T/www;
		location /api/v1/public/enterprises/ { try_files /lookup-public.json =404; }
		location /api/v1/enterprises/ { try_files /lookup-officer.json =404; }
	}
}
NGINX
	taskset -c 0 nginx -c "$T/nginx.conf" -p "$T"
	echo '{}' >"$T/www/ping.json"
	wait_http "http://127.0.0.1:$NPORT/ping.json"
}

# A signed-in officer of Zhengzhou in database URL $1 on server $2 (port):
# prints the session cookie.
BENCH_PW=Bench-Officer-2014
officer_cookie() {
	local cookie
	echo "$BENCH_PW" | ./zhiliang --db "$1" user add bench.officer --org 410100 \
		--role officer --password-stdin >/dev/null
	cookie=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
		-d "{\"username\":\"bench.officer\",\"password\":\"$BENCH_PW\"}" \
		"http://127.0.0.1:$2/api/v1/session" | sed -n 's/^Set-Cookie: \(zl_session=[0-9a-f]*\).*/\1/ip')
	[ -n "$cookie" ] || { echo "bench: login failed" >&2; exit 1; }
	echo "$cookie"
}

# ---- http: zhiliang serve, one worker thread pinned to core 0
if part http; then
	./zhiliang --db "sqlite:$T/bench.db" --log-level warn init >/dev/null
	ZPORT=18481
	taskset -c 0 ./zhiliang --db "sqlite:$T/bench.db" --addr 127.0.0.1:$ZPORT --threads 1 \
		--log-level warn serve >"$T/zhiliang.log" 2>&1 &
	HTTP_PID=$!
	PIDS+=($HTTP_PID)
	wait_http "http://127.0.0.1:$ZPORT/healthz"
	start_nginx
	curl -fsS "http://127.0.0.1:$ZPORT/healthz" >"$T/www/healthz.json"
	curl -fsS "http://127.0.0.1:$ZPORT/api/v1/version" >"$T/www/version.json"
	# GET /api/v1/me resolves the session (cookie, SHA-256, session lookup
	# joined with user and organization).
	COOKIE=$(officer_cookie "sqlite:$T/bench.db" $ZPORT)
	curl -fsS -H "Cookie: $COOKIE" "http://127.0.0.1:$ZPORT/api/v1/me" >"$T/www/me.json"

	say "response sizes: healthz $(wc -c <"$T/www/healthz.json") B, version $(wc -c <"$T/www/version.json") B, me $(wc -c <"$T/www/me.json") B"
	N1= Z1= N2= Z2= Z3= N4= Z4=
	for r in $(seq 1 "$ROUNDS"); do
		N1+=" $(rps "http://127.0.0.1:$NPORT/healthz.json")"
		Z1+=" $(rps "http://127.0.0.1:$ZPORT/healthz")"
		N2+=" $(rps "http://127.0.0.1:$NPORT/version.json")"
		Z2+=" $(rps "http://127.0.0.1:$ZPORT/api/v1/version")"
		N4+=" $(rps "http://127.0.0.1:$NPORT/me.json")"
		Z4+=" $(rps "http://127.0.0.1:$ZPORT/api/v1/me" -H "Cookie: $COOKIE")"
	done
	n1=$(echo $N1 | median) z1=$(echo $Z1 | median) n2=$(echo $N2 | median) z2=$(echo $Z2 | median)
	n4=$(echo $N4 | median) z4=$(echo $Z4 | median)
	say "rounds: $ROUNDS x ${SECS}s, medians (all runs: nginx healthz-size [$N1 ], zhiliang /healthz [$Z1 ], nginx version-size [$N2 ], zhiliang /api/v1/version [$Z2 ])"
	say "nginx static (healthz size)   : $n1 req/s"
	say "zhiliang GET /healthz (db)    : $z1 req/s  ratio $(ratio "$z1" "$n1")"
	say "nginx static (version size)   : $n2 req/s"
	say "zhiliang GET /api/v1/version  : $z2 req/s  ratio $(ratio "$z2" "$n2")"
	say "nginx static (me size)        : $n4 req/s"
	say "zhiliang GET /api/v1/me, signed in: $z4 req/s  ratio $(ratio "$z4" "$n4") (runs [$Z4 ] vs [$N4 ])"

	# The same with the JSON access log on (one line per request, to a file).
	kill $HTTP_PID
	wait $HTTP_PID 2>/dev/null || true
	taskset -c 0 ./zhiliang --db "sqlite:$T/bench.db" --addr 127.0.0.1:$ZPORT --threads 1 \
		serve >"$T/access.log" 2>&1 &
	HTTP_PID=$!
	PIDS+=($HTTP_PID)
	wait_http "http://127.0.0.1:$ZPORT/healthz"
	N3=
	for r in $(seq 1 "$ROUNDS"); do
		N3+=" $(rps "http://127.0.0.1:$NPORT/healthz.json")"
		Z3+=" $(rps "http://127.0.0.1:$ZPORT/healthz")"
	done
	n3=$(echo $N3 | median) z3=$(echo $Z3 | median)
	say "zhiliang GET /healthz, access log on: $z3 req/s vs nginx $n3  ratio $(ratio "$z3" "$n3") (runs [$Z3 ] vs [$N3 ])"
	kill $HTTP_PID
	wait $HTTP_PID 2>/dev/null || true
fi

# ---- uscc: USCC validation throughput
if part uscc; then
	./zhiliang uscc sample 1000000 >"$T/codes.txt"
	start=$(now)
	./zhiliang uscc check - <"$T/codes.txt" >/dev/null
	say "uscc check - on 1,000,000 codes: $(elapsed "$start") s"
	rm -f "$T/codes.txt"
fi

# ---- authz: per-request cost of authorization (microseconds)
if part authz && [ -x build/release/bench/authz_bench ]; then
	say "per-request authorization cost (200000 iterations, SQLite, warm statement cache):"
	build/release/bench/authz_bench 200000 | while read -r line; do say "  $line"; done
fi

# ---- search: name-fragment search (issue 4): p50/p99 over SEARCH_NAMES names
if part search && [ -x build/release/bench/search_bench ]; then
	n=${SEARCH_NAMES:-1000000}
	say "name-fragment search over $n names (SQLite, first page of 20 + exact total):"
	build/release/bench/search_bench "$n" 1000 | while read -r line; do say "  $line"; done
fi

# ---- plan: the work-plan parser on about 1 MiB (issue 5)
if part plan && [ -x build/release/bench/plan_bench ]; then
	say "work-plan parser on a 1 MiB document (median of 21; docs/bench.md):"
	build/release/bench/plan_bench | while read -r line; do say "  $line"; done
	HENAN=../shared/plans/henan-2014-quality-plan.txt
	if [ -f "$HENAN" ]; then
		build/release/bench/plan_bench "$HENAN" | while read -r line; do say "  $line"; done
		: >"$T/plan-1m.txt"
		while [ "$(stat -c %s "$T/plan-1m.txt")" -lt 1048576 ]; do cat "$HENAN" >>"$T/plan-1m.txt"; done
		start=$(now)
		./zhiliang plan parse "$T/plan-1m.txt" >/dev/null
		say "  zhiliang plan parse on the same (read, check UTF-8, parse, JSON to stdout): $(awk -v a="$start" -v b="$(now)" 'BEGIN{printf "%.0f", (b-a)*1000}') ms"
	fi
fi

# ---- draw: a verifiable draw at the size issue 6 names
if part draw && [ -x build/release/bench/draw_bench ]; then
	say "verifiable draw, 1,000 of 1,000,000 weighted candidates in 200 strata (median of 11; docs/bench.md):"
	build/release/bench/draw_bench | while read -r line; do say "  $line"; done
	build/release/bench/draw_bench --csv "$T/draw.csv" "$T/quota.csv"
	DRAW_SEED=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
	start=$(now)
	./zhiliang draw select --candidates "$T/draw.csv" --weight 权重 --stratum 行政区划 \
		--quota "$T/quota.csv" --seed $DRAW_SEED --json >"$T/draw.json"
	say "  zhiliang draw select --json on the same as CSV ($(($(stat -c %s "$T/draw.csv") / 1048576)) MiB in, a $(($(stat -c %s "$T/draw.json") / 1048576)) MiB record out): $(awk -v a="$start" -v b="$(now)" 'BEGIN{printf "%.0f", (b-a)*1000}') ms"
	start=$(now)
	./zhiliang draw verify "$T/draw.json" >"$T/verify.out" || { cat "$T/verify.out"; exit 1; }
	say "  zhiliang draw verify of that record: $(awk -v a="$start" -v b="$(now)" 'BEGIN{printf "%.0f", (b-a)*1000}') ms"
	rm -f "$T/draw.csv" "$T/quota.csv" "$T/draw.json"
fi

# ---- stats: the grouped statistics query at provincial scale (issue 7)
if part stats && [ -x build/release/bench/stats_bench ]; then
	say "spot-check statistics, pass rate by city x quarter over $STATS_ROWS inspections (median of 11; docs/bench.md):"
	build/release/bench/stats_bench "$STATS_ROWS" 2>&1 | while read -r line; do say "  $line"; done
fi

# ---- the generated enterprise table of N rows: $T/ent-N.csv (made once)
csv_for() {
	local f="$T/ent-$1.csv" start
	if [ ! -f "$f" ]; then
		start=$(now)
		"$GEN" "$1" >"$f.tmp"
		mv "$f.tmp" "$f"
		chmod 644 "$f"
		say "generated $1 rows: $(($(stat -c %s "$f") / 1048576)) MiB of CSV in $(elapsed "$start") s" >&2
	fi
	echo "$f"
}

# Enough room for N rows?  10 million rows take about 1.5 GB of CSV and
# 3-6 GB per database, and the import's page cache wants memory.
room_for() {
	local n=$1 disk mem
	[ "$n" -lt 10000000 ] && return 0
	disk=$(df -Pk "$T" | awk 'NR == 2 {print int($4 / 1048576)}')
	mem=$(awk '/^MemAvailable:/ {print int($2 / 1048576)}' /proc/meminfo)
	if [ "$disk" -lt 20 ] || [ "$mem" -lt 8 ]; then
		say "import of $n rows: SKIPPED (needs 20 GB free disk and 8 GB available memory;" \
			"have $disk GB free in $T and $mem GB available)"
		return 1
	fi
}

# Run a command under the import time limit with its output in
# $T/timed.out and $T/timed.err: prints its wall seconds, or "timeout" when
# it was stopped at the limit.  Any other failure stops the bench.
timed() {
	local start rc=0
	start=$(now)
	timeout "$IMPORT_TIMEOUT" "$@" >"$T/timed.out" 2>"$T/timed.err" || rc=$?
	if [ "$rc" = 124 ]; then
		echo timeout
		return 0
	fi
	if [ "$rc" != 0 ]; then
		echo "bench: $* failed (exit $rc):" >&2
		cat "$T/timed.out" "$T/timed.err" >&2
		exit 1
	fi
	elapsed "$start"
}

# Our import of CSV $1 into database URL $2: prints the seconds (or
# "timeout").  The summary line must say that every row was imported.
our_import() {
	local s n
	n=$(($(wc -l <"$1") - 1))
	s=$(timed ./zhiliang --db "$2" import enterprises "$1")
	if [ "$s" != timeout ] && ! grep -q "^imported $n, " "$T/timed.out"; then
		echo "bench: zhiliang import of $n rows said: $(cat "$T/timed.out")" >&2
		exit 1
	fi
	echo "$s"
}

# "R rows/s (S s)" for N rows in S seconds, or "< R rows/s (stopped at the limit)".
rate_text() {
	if [ "$2" = timeout ]; then
		echo "< $(per_s "$1" "$IMPORT_TIMEOUT") rows/s (stopped after ${IMPORT_TIMEOUT} s)"
	else
		echo "$(per_s "$1" "$2") rows/s ($2 s)"
	fi
}
# Ratio of the rates for N rows: ours in $2 seconds, the reference in $3.
rate_ratio() {
	if [ "$2" = timeout ] || [ "$3" = timeout ]; then
		echo "n/a"
	else
		ratio "$(per_s "$1" "$2")" "$(per_s "$1" "$3")"
	fi
}

# The reference table: the CSV's columns, in its order, with the same
# names, types, primary key and secondary indexes as our enterprises table
# (src/store/migrate.c).  `sqlite3 .import` and `COPY` cannot map or skip
# columns, so the table has the file's columns; it lacks what our import
# writes besides (the numeric id and its unique index, the name-fragment
# postings, the change feed, the audit row): the reference does less work.
REF_TABLE="CREATE TABLE enterprises (
	uscc TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	former_name TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	industry TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	legal_rep TEXT NOT NULL DEFAULT '',
	registered_capital TEXT NOT NULL DEFAULT '',
	founded TEXT NOT NULL DEFAULT '',
	size_class TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'operating'
);
CREATE INDEX enterprises_region ON enterprises (region);
CREATE INDEX enterprises_industry ON enterprises (industry);
CREATE INDEX enterprises_status ON enterprises (status);"

# COPY reads an empty unquoted CSV field as NULL; sqlite3 and our import read ''.
PG_NOT_NULL=" FORCE_NOT_NULL (name, former_name, region, industry, address, legal_rep,"
PG_NOT_NULL+=" registered_capital, founded, size_class, status)"
PG_URL=
start_pg() {
	[ -n "$PG_URL" ] && return 0
	PG_DIR=$T/pg
	PG_URL=$(scripts/pg.sh start "$PG_DIR" 18484 2>"$T/pg.log" | tail -1) || {
		cat "$T/pg.log" >&2
		exit 1
	}
	PG_BASE=${PG_URL%/*}
	export PGOPTIONS="-c client_min_messages=warning"
}
pg_fresh_db() {
	psql "$PG_URL" -XAtq -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}

if part import; then
	say "import of generated enterprise rows (CSV, UTF-8, codes in random order; docs/bench.md):"
	for n in $IMPORT_ROWS; do
		room_for "$n" || continue
		csv=$(csv_for "$n")
		# (a) sqlite3 .import into the reference table, sqlite3's defaults.
		rm -f "$T/ref.db"
		sqlite3 "$T/ref.db" "$REF_TABLE"
		s_ref=$(timed sqlite3 "$T/ref.db" ".import --csv --skip 1 $csv enterprises")
		if [ "$s_ref" != timeout ]; then
			got=$(sqlite3 "$T/ref.db" "SELECT count(*) FROM enterprises")
			[ "$got" = "$n" ] || { echo "bench: sqlite3 .import loaded $got of $n rows" >&2; exit 1; }
		fi
		rm -f "$T/ref.db"
		# (b) zhiliang import into a fresh database.
		rm -f "$T/ours.db"*
		./zhiliang --db "sqlite:$T/ours.db" --log-level warn init >/dev/null
		s_ours=$(our_import "$csv" "sqlite:$T/ours.db")
		say "  SQLite, $n rows: sqlite3 .import $(rate_text "$n" "$s_ref"); zhiliang import" \
			"$(rate_text "$n" "$s_ours"); ratio $(rate_ratio "$n" "$s_ours" "$s_ref")"
		if [ "$n" = "$LOOKUP_ROWS" ] && part lookup; then
			mv "$T/ours.db" "$T/lookup.db"
		fi
		rm -f "$T/ours.db"*
	done
	for n in $PG_IMPORT_ROWS; do
		room_for "$n" || continue
		csv=$(csv_for "$n")
		start_pg
		# (c) COPY (server side, from the file) into the reference table.
		pg_fresh_db zl_ref
		psql "$PG_BASE/zl_ref" -XAtq -c "$REF_TABLE" >/dev/null
		s_ref=$(timed psql "$PG_BASE/zl_ref" -XAtq \
			-c "COPY enterprises FROM '$csv' WITH (FORMAT csv, HEADER true,$PG_NOT_NULL)")
		if [ "$s_ref" != timeout ]; then
			got=$(psql "$PG_BASE/zl_ref" -XAtq -c "SELECT count(*) FROM enterprises")
			[ "$got" = "$n" ] || { echo "bench: COPY loaded $got of $n rows" >&2; exit 1; }
		fi
		psql "$PG_URL" -XAtq -c "DROP DATABASE zl_ref WITH (FORCE)" >/dev/null
		# (d) zhiliang import into a fresh database on the same server.
		pg_fresh_db zl_ours
		./zhiliang --db "$PG_BASE/zl_ours" --log-level warn init >/dev/null
		s_ours=$(our_import "$csv" "$PG_BASE/zl_ours")
		psql "$PG_URL" -XAtq -c "DROP DATABASE zl_ours WITH (FORCE)" >/dev/null
		say "  PostgreSQL 15, $n rows: COPY $(rate_text "$n" "$s_ref"); zhiliang import" \
			"$(rate_text "$n" "$s_ours"); ratio $(rate_ratio "$n" "$s_ours" "$s_ref")"
	done
	# Only the lookup part still needs a table; free the disk.
	for f in "$T"/ent-*.csv; do
		if [ "$f" != "$T/ent-$LOOKUP_ROWS.csv" ] || ! part lookup; then
			rm -f "$f"
		fi
	done
	if [ -n "$PG_DIR" ]; then
		scripts/pg.sh stop "$PG_DIR" >/dev/null 2>&1 || true
		rm -rf "$PG_DIR"
		PG_DIR= PG_URL=
	fi
fi

# ---- lookup: one enterprise by USCC over HTTP in a register of LOOKUP_ROWS
if part lookup; then
	csv=$(csv_for "$LOOKUP_ROWS")
	if [ ! -f "$T/lookup.db" ]; then
		./zhiliang --db "sqlite:$T/lookup.db" --log-level warn init >/dev/null
		s=$(IMPORT_TIMEOUT=0 our_import "$csv" "sqlite:$T/lookup.db")
		say "lookup register: $LOOKUP_ROWS rows loaded with zhiliang import in $s s"
	fi
	# 10,000 existing codes spread over the file (whose codes are in random order).
	awk -v step=$(((LOOKUP_ROWS + 9999) / 10000)) -F, 'NR > 1 && (NR - 2) % step == 0 {print $1}' \
		"$csv" | head -10000 >"$T/lookup-codes.txt"
	ncodes=$(wc -l <"$T/lookup-codes.txt")
	cat >"$T/lookup.lua" <<'LUA'
-- Cycle through the codes in ZL_CODES, each request GET ZL_PREFIX .. code.
local codes, i, prefix = {}, 0, os.getenv("ZL_PREFIX")
for line in io.lines(os.getenv("ZL_CODES")) do codes[#codes + 1] = line end
request = function()
	i = i % #codes + 1
	return wrk.format("GET", prefix .. codes[i])
end
LUA
	LPORT=18483
	taskset -c 0 ./zhiliang --db "sqlite:$T/lookup.db" --addr 127.0.0.1:$LPORT --threads 1 \
		--log-level warn serve >"$T/lookup.log" 2>&1 &
	LOOKUP_PID=$!
	PIDS+=($LOOKUP_PID)
	wait_http "http://127.0.0.1:$LPORT/healthz"
	LCOOKIE=$(officer_cookie "sqlite:$T/lookup.db" $LPORT)
	start_nginx
	# The nginx files: the answer of median size among 101 sampled codes.
	typical() {
		local prefix=$1 code
		shift
		for code in $(awk 'NR % 99 == 1' "$T/lookup-codes.txt" | head -101); do
			curl -fsS "$@" "http://127.0.0.1:$LPORT$prefix$code" >"$T/answer" ||
				{ echo "bench: GET $prefix$code failed" >&2; exit 1; }
			echo "$(wc -c <"$T/answer") $code"
		done | sort -n | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}'
	}
	code=$(typical /api/v1/public/enterprises/)
	curl -fsS "http://127.0.0.1:$LPORT/api/v1/public/enterprises/$code" >"$T/www/lookup-public.json"
	code=$(typical /api/v1/enterprises/ -H "Cookie: $LCOOKIE")
	curl -fsS -H "Cookie: $LCOOKIE" "http://127.0.0.1:$LPORT/api/v1/enterprises/$code" \
		>"$T/www/lookup-officer.json"
	say "USCC lookup over HTTP, $LOOKUP_ROWS enterprises, $ncodes random codes cycled" \
		"(typical answer: public $(wc -c <"$T/www/lookup-public.json") B," \
		"signed-in $(wc -c <"$T/www/lookup-officer.json") B):"
	export ZL_CODES="$T/lookup-codes.txt"
	# nginx's one worker, whose CPU time is compared with zhiliang's.
	NWORKER=$(pgrep -P "$(cat "$T/nginx.pid")" | head -1)
	NP= ZP= NO= ZO= NPL= ZPL= NOL= ZOL= NPC= ZPC= NOC= ZOC=
	for r in $(seq 1 "$ROUNDS"); do
		export ZL_PREFIX=/api/v1/public/enterprises/
		NP+=" $(rps_cpu "$NWORKER" "http://127.0.0.1:$NPORT" --latency -s "$T/lookup.lua")"
		NPL+=" $(p99_last)" NPC+=" $(cat "$T/last.cpu")"
		ZP+=" $(rps_cpu "$LOOKUP_PID" "http://127.0.0.1:$LPORT" --latency -s "$T/lookup.lua")"
		ZPL+=" $(p99_last)" ZPC+=" $(cat "$T/last.cpu")"
		export ZL_PREFIX=/api/v1/enterprises/
		NO+=" $(rps_cpu "$NWORKER" "http://127.0.0.1:$NPORT" --latency -s "$T/lookup.lua")"
		NOL+=" $(p99_last)" NOC+=" $(cat "$T/last.cpu")"
		ZO+=" $(rps_cpu "$LOOKUP_PID" "http://127.0.0.1:$LPORT" --latency -s "$T/lookup.lua" \
			-H "Cookie: $LCOOKIE")"
		ZOL+=" $(p99_last)" ZOC+=" $(cat "$T/last.cpu")"
	done
	np=$(echo $NP | median) zp=$(echo $ZP | median) no=$(echo $NO | median) zo=$(echo $ZO | median)
	npc=$(echo $NPC | median) zpc=$(echo $ZPC | median) noc=$(echo $NOC | median)
	zoc=$(echo $ZOC | median)
	say "  nginx static (public size)            : $np req/s, p99 $(echo $NPL | median) ms"
	say "  zhiliang GET /api/v1/public/enterprises/{uscc}: $zp req/s, p99 $(echo $ZPL | median) ms;" \
		"ratio $(ratio "$zp" "$np") (runs [$ZP ] vs [$NP ], p99 [$ZPL ])"
	say "  nginx static (signed-in size)         : $no req/s, p99 $(echo $NOL | median) ms"
	say "  zhiliang GET /api/v1/enterprises/{uscc}, signed in: $zo req/s, p99 $(echo $ZOL | median) ms;" \
		"ratio $(ratio "$zo" "$no") (runs [$ZO ] vs [$NO ], p99 [$ZOL ])"
	say "  server CPU per request: public nginx $npc us, zhiliang $zpc us (ratio $(ratio "$npc" "$zpc"));" \
		"signed in nginx $noc us, zhiliang $zoc us (ratio $(ratio "$noc" "$zoc"))" \
		"(runs [$ZPC ] vs [$NPC ], [$ZOC ] vs [$NOC ])"
	# With 64 connections on one server thread a request waits for the ones
	# queued before it (p99 >= 64 / throughput); one connection shows the
	# latency of a request alone.
	export ZL_PREFIX=/api/v1/public/enterprises/
	rps "http://127.0.0.1:$LPORT" -c1 --latency -s "$T/lookup.lua" >/dev/null
	p1=$(p99_last)
	export ZL_PREFIX=/api/v1/enterprises/
	rps "http://127.0.0.1:$LPORT" -c1 --latency -s "$T/lookup.lua" -H "Cookie: $LCOOKIE" >/dev/null
	say "  one connection (wrk -c1, ${SECS}s): p99 public $p1 ms, signed-in $(p99_last) ms"
	kill $LOOKUP_PID
	wait $LOOKUP_PID 2>/dev/null || true
fi
if part scimport; then
	SC_ROWS=${SC_ROWS:-1000000}
	SC_ENTERPRISES=${SC_ENTERPRISES:-10000}
	say "import of a generated spot-check result table (docs/results.md):"
	rm -f "$T/sc.db"*
	./zhiliang --db "sqlite:$T/sc.db" --log-level warn init --demo >/dev/null 2>&1
	$GEN "$SC_ENTERPRISES" --seed 7 >"$T/sc-ent.csv"
	./zhiliang --db "sqlite:$T/sc.db" import enterprises "$T/sc-ent.csv" >/dev/null 2>&1
	# Row i: enterprise i mod E (code, name), 电饭锅 (catalogue 0105), a date or a batch number,
	# one row in ten failed with two items.
	awk -F, -v n="$SC_ROWS" 'BEGIN { m = 0 } NR > 1 { code[m] = $1; name[m] = $2; m++ }
		END {
			print "2014年河南省质量技术监督局产品质量监督抽查结果公告"
			print "序号,产品名称,标称生产企业名称,统一社会信用代码,规格型号,生产日期/批号,检验结果,不合格项目,备注"
			for (i = 0; i < n; i++) {
				k = i % m
				failed = i % 10 == 3
				printf "%d,电饭锅,%s,%s,CFXB%d,%s,%s,%s,%s\n", i + 1, name[k], code[k], 30 + i % 20,
					i % 3 ? sprintf("2014-%d-%d", 1 + i % 12, 1 + i % 28) : sprintf("B%07d", i),
					failed ? "不合格" : "合格", failed ? "*温升、标志和说明" : "", i % 97 == 0 ? "涉嫌假冒" : ""
			}
			print "注：排名不分先后"
		}' "$T/sc-ent.csv" >"$T/sc.csv"
	s=$(timed ./zhiliang --db "sqlite:$T/sc.db" import spotchecks "$T/sc.csv")
	if [ "$s" != timeout ] && ! grep -q "^imported $SC_ROWS, " "$T/timed.out"; then
		echo "bench: zhiliang import spotchecks said: $(cat "$T/timed.out")" >&2
		exit 1
	fi
	say "  SQLite, $SC_ROWS rows ($(du -h "$T/sc.csv" | cut -f1) CSV, $SC_ENTERPRISES enterprises):" \
		"zhiliang import spotchecks $(rate_text "$SC_ROWS" "$s")"
	rm -f "$T/sc.db"* "$T/sc.csv" "$T/sc-ent.csv"
fi
echo "(written to $RESULTS)"
