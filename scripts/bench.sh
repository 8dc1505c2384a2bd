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
# BENCH_SECONDS (default 10) sets the wrk duration.  Results are printed and
# written to build/bench.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECS=${BENCH_SECONDS:-10}
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

rps() { # URL -> requests/s from wrk pinned to core 1
	taskset -c 1 wrk -t1 -c64 -d"${SECS}s" "$1" | tee -a "$T/wrk.log" |
		awk '/Requests\/sec:/ {print $2}'
}

say "# Zhiliang bench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, $(uname -r)"

# ---- zhiliang serve, one worker thread pinned to core 0
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

say "response sizes: healthz $(wc -c <"$T/www/healthz.json") B, version $(wc -c <"$T/www/version.json") B"
n1=$(rps "http://127.0.0.1:$NPORT/healthz.json")
z1=$(rps "http://127.0.0.1:$ZPORT/healthz")
n2=$(rps "http://127.0.0.1:$NPORT/version.json")
z2=$(rps "http://127.0.0.1:$ZPORT/api/v1/version")
say "nginx static (healthz size)   : $n1 req/s"
say "zhiliang GET /healthz (db)    : $z1 req/s  ratio $(awk -v a="$z1" -v b="$n1" 'BEGIN{printf "%.2f", a/b}')"
say "nginx static (version size)   : $n2 req/s"
say "zhiliang GET /api/v1/version  : $z2 req/s  ratio $(awk -v a="$z2" -v b="$n2" 'BEGIN{printf "%.2f", a/b}')"

# The same with the JSON access log on (one line per request, to a file).
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true
PIDS=()
taskset -c 0 ./zhiliang --db "sqlite:$T/bench.db" --addr 127.0.0.1:$ZPORT --threads 1 \
	serve >"$T/access.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$ZPORT/healthz"
z3=$(rps "http://127.0.0.1:$ZPORT/healthz")
say "zhiliang GET /healthz, access log on: $z3 req/s  ratio $(awk -v a="$z3" -v b="$n1" 'BEGIN{printf "%.2f", a/b}')"

# ---- USCC validation throughput
./zhiliang uscc sample 1000000 >"$T/codes.txt"
start=$(date +%s.%N)
./zhiliang uscc check - <"$T/codes.txt" >/dev/null
end=$(date +%s.%N)
say "uscc check - on 1,000,000 codes: $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f", b-a}') s"
echo "(written to $RESULTS)"
