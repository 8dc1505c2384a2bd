#!/usr/bin/env bash
# fuzz.sh - build and run the libFuzzer targets in tests/fuzz/.
#
#   scripts/fuzz.sh build          build every layer with clang + sanitizers
#                                  into build/fuzz and link each target
#   scripts/fuzz.sh run [SECONDS]  run each target for SECONDS (default 5) on
#                                  its seed corpus (tests/fuzz/corpus/NAME);
#                                  new inputs go to a scratch directory, and a
#                                  crash is kept under build/fuzz/crashes/.
set -uo pipefail
cd "$(dirname "$0")/.."
B=build/fuzz
LIBS="$B/lib/libzl_http.a $B/lib/libzl_store.a $B/lib/libzl_db.a $B/lib/libzl_domain.a $B/lib/libzl_codes.a $B/lib/libzl_core.a"

case "${1:-}" in
build)
	set -e
	make --no-print-directory -s MODE=fuzz BUILD=$B CC=clang $LIBS
	mkdir -p $B/bin
	PKGS="libmicrohttpd libcjson libsodium sqlite3 libpq zlib xlsxwriter libzip expat freexl"
	for src in tests/fuzz/fuzz_*.c; do
		name=$(basename "$src" .c)
		clang -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -D_GNU_SOURCE \
			-include src/core/compat.h $(pkg-config --cflags $PKGS) \
			-o "$B/bin/$name" "$src" $LIBS $(pkg-config --libs $PKGS) -lpthread -lm
	done
	;;
run)
	secs=${2:-5}
	pass=0
	fail=0
	mkdir -p $B/crashes
	for bin in $B/bin/fuzz_*; do
		name=$(basename "$bin")
		short=${name#fuzz_}
		scratch=$(mktemp -d)
		seeds=tests/fuzz/corpus/$short
		[ -d "$seeds" ] || seeds=
		if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix=$B/crashes/$short- "$scratch" $seeds >"$B/$short.log" 2>&1; then
			echo "ok - $name ($(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$B/$short.log" | awk '{print $2}') runs)"
			pass=$((pass + 1))
		else
			echo "not ok - $name: see $B/$short.log"
			tail -30 "$B/$short.log"
			fail=$((fail + 1))
		fi
		rm -rf "$scratch"
	done
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	;;
*)
	echo "usage: $0 build | run [SECONDS]" >&2
	exit 2
	;;
esac
