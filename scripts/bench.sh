#!/usr/bin/env bash
# bench.sh - the performance figures the issues ask for, each measured
# against its named reference in the same run on the same machine.
#
#   1. Small-JSON throughput of `zhiliang serve` (GET /healthz, which also
#      checks the database, and GET /api/v1/version, which does not) against
#      nginx serving a static file of the same size: keep-alive, sendfile
#      off, access logs off, server pinned to core 0, `wrk -t1 -c64 -d10s`
#      pinned to core 1.
#   2. `zhiliang uscc check -` on 1,000,000 codes: seconds.
#
# Throughput on a shared 2-core machine varies by 20% from run to run, so
# each figure is the median of BENCH_ROUNDS (default 3) rounds in which the
# reference and zhiliang are measured alternately.  BENCH_SECONDS (default
# 10) sets each wrk run.  Results are printed and written to build/bench.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
T=$(mktemp -d /tmp/zl-bench.XXXXXX)
chmod 755 "$T"
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT
RESULTS=build/bench.txt
mkdir -p build
: >"$RESULTS"
say() { echo "$*" | tee -a "$RESULTS"; }

command -v wrk >/dev/null && command -v nginx >/dev/null || scripts/deps.sh bench

wait_http() {
	for _ in $(seq 1 100); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "bench: $1 did not answer" >&2
	return 1
}

# URL [wrk args] -> requests/s from wrk pinned to core 1.  A run with any
# non-2xx answer (a 401, a 429) measured the wrong thing: stop.
rps() {
	local url=$1 out
	shift
	out=$(taskset -c 1 wrk -t1 -c64 -d"${SECS}s" "$@" "$url")
	echo "$out" >>"$T/wrk.log"
	if echo "$out" | grep -q 'Non-2xx'; then
		echo "bench: $url answered non-2xx during the run:" >&2
		echo "$out" >&2
		exit 1
	fi
	echo "$out" | awk '/Requests\/sec:/ {print $2}'
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }

say "# Zhiliang bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(uname -r)"

# ---- zhiliang serve, one worker thread pinned to core 0.  The per-address
# rate limits are off: all the load comes from one address, and the figure
# wanted is the cost of serving, not of refusing.
export ZHILIANG_RATE_ANON_PER_MIN=0 ZHILIANG_RATE_LOGIN_PER_MIN=0
./zhiliang --db "sqlite:$T/bench.db" init >/dev/null
ZPORT=18481
taskset -c 0 ./zhiliang --db "sqlite:$T/bench.db" --addr 127.0.0.1:$ZPORT --threads 1 \
	--log-level warn serve >"$T/zhiliang.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$ZPORT/healthz"

# ---- nginx serving static files of the same sizes, one worker on core 0
mkdir -p "$T/www"
curl -fsS "http://127.0.0.1:$ZPORT/healthz" >"$T/www/healthz.json"
curl -fsS "http://127.0.0.1:$ZPORT/api/v1/version" >"$T/www/version.json"
# A signed-in officer of Zhengzhou: GET /api/v1/me resolves the session
# (cookie, SHA-256, session lookup joined with user and organization).
BENCH_PW=Bench-Officer-2014
echo "$BENCH_PW" | ./zhiliang --db "sqlite:$T/bench.db" user add bench.officer --org 410100 \
	--role officer --password-stdin >/dev/null
COOKIE=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"bench.officer\",\"password\":\"$BENCH_PW\"}" \
	"http://127.0.0.1:$ZPORT/api/v1/session" | sed -n 's/^Set-Cookie: \(zl_session=[0-9a-f]*\).*/\1/ip')
[ -n "$COOKIE" ] || { echo "bench: login failed" >&2; exit 1; }
curl -fsS -H "Cookie: $COOKIE" "http://127.0.0.1:$ZPORT/api/v1/me" >"$T/www/me.json"
NPORT=18482
cat >"$T/nginx.conf" <<NGINX
worker_processes 1;
worker_cpu_affinity 01;
pid $T/nginx.pid;
error_log $T/nginx-error.log;
$( [ "$(id -u)" = 0 ] && echo "user root root;" )
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
	}
}
NGINX
taskset -c 0 nginx -c "$T/nginx.conf" -p "$T"
wait_http "http://127.0.0.1:$NPORT/healthz.json"

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
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
PIDS=()
taskset -c 0 ./zhiliang --db "sqlite:$T/bench.db" --addr 127.0.0.1:$ZPORT --threads 1 \
	serve >"$T/access.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$ZPORT/healthz"
N3=
for r in $(seq 1 "$ROUNDS"); do
	N3+=" $(rps "http://127.0.0.1:$NPORT/healthz.json")"
	Z3+=" $(rps "http://127.0.0.1:$ZPORT/healthz")"
done
n3=$(echo $N3 | median) z3=$(echo $Z3 | median)
say "zhiliang GET /healthz, access log on: $z3 req/s vs nginx $n3  ratio $(ratio "$z3" "$n3") (runs [$Z3 ] vs [$N3 ])"

# ---- USCC validation throughput
./zhiliang uscc sample 1000000 >"$T/codes.txt"
start=$(date +%s.%N)
./zhiliang uscc check - <"$T/codes.txt" >/dev/null
end=$(date +%s.%N)
say "uscc check - on 1,000,000 codes: $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b-a}') s"
# ---- per-request cost of authorization (microseconds)
if [ -x build/release/bench/authz_bench ]; then
	say "per-request authorization cost (200000 iterations, SQLite, warm statement cache):"
	build/release/bench/authz_bench 200000 | while read -r line; do say "  $line"; done
fi
# ---- name-fragment search (issue 4): p50/p99 over SEARCH_NAMES names
if [ -x build/release/bench/search_bench ]; then
	n=${SEARCH_NAMES:-1000000}
	say "name-fragment search over $n names (SQLite, first page of 20 + exact total):"
	build/release/bench/search_bench "$n" 1000 | while read -r line; do say "  $line"; done
fi
echo "(written to $RESULTS)"
