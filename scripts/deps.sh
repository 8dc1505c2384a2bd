#!/usr/bin/env bash
# deps.sh - install the Debian packages Zhiliang needs, only those missing,
# so a second `make run` / `make test` spends no time here.
#
#   scripts/deps.sh run     build and serve (compiler, C libraries, Node.js)
#   scripts/deps.sh test    plus unit-test, PostgreSQL, browser and fuzzing tools
#   scripts/deps.sh bench   plus nginx and wrk for the benchmarks
#
# npm packages are installed by the Makefile (`npm ci` from web/package-lock.json).
set -euo pipefail

RUN_PKGS=(build-essential pkg-config libmicrohttpd-dev libcjson-dev libsodium-dev
	libsqlite3-dev libpq-dev zlib1g-dev libxlsxwriter-dev libzip-dev libexpat1-dev libfreexl-dev
	libcairo2-dev libpango1.0-dev fonts-noto-cjk)
TEST_PKGS=(libcmocka-dev postgresql chromium clang libclang-rt-14-dev sqlite3 curl iproute2 poppler-utils
	python3 libxml2-utils)
BENCH_PKGS=(nginx-light wrk)

want=("${RUN_PKGS[@]}")
case "${1:-run}" in
run) ;;
test) want+=("${TEST_PKGS[@]}") ;;
bench) want+=("${TEST_PKGS[@]}" "${BENCH_PKGS[@]}") ;;
*) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac
# Node.js: the distribution's package only when no node is installed at all
# (machines may carry a newer Node.js; Vite 7 needs Node >= 20.19).
command -v node >/dev/null 2>&1 || want+=(nodejs npm)

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: missing Debian packages: ${missing[*]}" >&2
		echo "deps: run as root: apt-get install ${missing[*]}" >&2
		exit 1
	fi
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
