#!/usr/bin/env bash
# tests/cli/run.sh - black-box tests of the zhiliang command line: exit
# codes, output formats and the database commands on a scratch SQLite file.
# ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

check "help lists every command" 0 'uscc' -- "$BIN" help
for c in version serve init migrate config uscc routes audit; do
	check "help lists $c" 0 "^  $c " -- "$BIN" help
done
check "help for one command" 0 '^usage: zhiliang uscc check' -- "$BIN" help uscc
check "version" 0 '^zhiliang [0-9]+\.[0-9]+\.[0-9]+' -- "$BIN" version
check "unknown command is a usage error" 2 'unknown command' -- "$BIN" frobnicate
check "no command is a usage error" 2 'usage' -- "$BIN"
check "global flag without value" 2 'needs a value' -- "$BIN" version --db

# uscc check (DOMAIN.md §1.5/§1.6 vectors)
check "uscc valid code" 0 'valid' -- "$BIN" uscc check 914403001922038216
check "uscc bad check char names expected" 1 'invalid' -- "$BIN" uscc check 91110000600037341N
check "uscc wrong length" 1 'invalid' -- "$BIN" uscc check 9111000060003734L
check "uscc illegal letters" 1 'invalid' -- "$BIN" uscc check 9111000060003IOZSV
check "uscc letter in division" 1 'invalid' -- "$BIN" uscc check 9111000A600037341L
check "uscc letter authority accepted" 0 'valid' -- "$BIN" uscc check A1110000600037341K Y1110000600037341Y
check "uscc mixed args fail" 1 '' -- "$BIN" uscc check 914403001922038216 914403001922038217
check "uscc without codes is usage" 2 '' -- "$BIN" uscc check
check "uscc without subcommand is usage" 2 '' -- "$BIN" uscc
check "uscc unknown flag is usage" 2 '' -- "$BIN" uscc check --frob 914403001922038216
check "uscc --json valid" 0 '^\{"code":"914403001922038216","valid":true' -- "$BIN" uscc check --json 914403001922038216
check "uscc --json invalid has error" 1 '"valid":false,"error":"[^"]+' -- "$BIN" uscc check --json 914403001922038217
printf '\xef\xbb\xbf914403001922038216\r\n\n  91520000214434146R  \n91440300192317458F\n' >"$T/codes.txt"
check "uscc stdin with BOM, CRLF, blanks, spaces" 0 '' -- "$BIN" uscc check - <"$T/codes.txt"
"$BIN" uscc check - <"$T/codes.txt" >"$T/o" 2>&1
if [ "$(wc -l <"$T/o")" -eq 3 ]; then ok "uscc stdin: one line per code, blanks skipped"; else nok "uscc stdin lines" "$(cat "$T/o")"; fi
printf '914403001922038216\n91110000600037341N\n' | "$BIN" uscc check - >"$T/o" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'L' "$T/o"; then ok "uscc stdin with one invalid exits 1 and names expected char"; else nok "uscc stdin invalid" "rc=$rc $(cat "$T/o")"; fi
"$BIN" uscc sample 100000 >"$T/many" 2>/dev/null
if [ "$(wc -l <"$T/many")" -eq 100000 ] && "$BIN" uscc check - <"$T/many" >/dev/null; then
	ok "uscc sample codes all validate (100000)"
else
	nok "uscc sample" "sample or check failed"
fi
check "uscc GBK junk is invalid, not a crash" 1 'invalid' -- "$BIN" uscc check "$(printf '\xd6\xca\xc1\xbf')"

# config
check "config check defaults" 0 '^addr = 127\.0\.0\.1:8080' -- "$BIN" config check
check "config check env override" 0 '^addr = 127\.0\.0\.1:9999.*env' -- env ZHILIANG_ADDR=127.0.0.1:9999 "$BIN" config check
check "config check flag beats env" 0 '^addr = 127\.0\.0\.1:7777.*flag' -- env ZHILIANG_ADDR=127.0.0.1:9999 "$BIN" --addr 127.0.0.1:7777 config check
printf '# test\naddr = 127.0.0.1:8181\n\nthreads = 2\n' >"$T/ok.conf"
check "config file" 0 '^threads = 2.*file' -- "$BIN" --config "$T/ok.conf" config check
printf 'addr = 127.0.0.1:8181\nbogus = 1\n' >"$T/bad.conf"
check "config unknown key names file:line" 1 'bad.conf:2' -- "$BIN" --config "$T/bad.conf" config check
check "config bad port" 2 '' -- "$BIN" --addr 127.0.0.1:99999 config check
check "config bad db scheme" 2 '' -- "$BIN" --db mysql://x config check
check "config check without 'check' is usage" 2 '' -- "$BIN" config

# database commands on a scratch file
DB="sqlite:$T/sub/dir/z.db"
check "init creates missing directories and loads codes" 0 'regions +[1-9]' -- "$BIN" --db "$DB" init
check "init --demo is idempotent" 0 'demo' -- "$BIN" --db "$DB" init --demo
check "migrate after init applies nothing" 0 'applied 0 migration' -- "$BIN" --db "$DB" migrate
check "migrate on a fresh database" 0 'applied [1-9][0-9]* migration' -- "$BIN" --db "sqlite:$T/fresh.db" migrate
check "init on an unopenable path fails clearly" 1 'zhiliang init' -- "$BIN" --db "sqlite:/proc/nope/z.db" init
check "postgres unreachable fails clearly" 1 'zhiliang migrate' -- "$BIN" --db "postgres://nobody@127.0.0.1:1/none" migrate

# routes
check "routes --markdown" 0 '/healthz' -- "$BIN" routes --markdown
check "routes --json" 0 '"/api/v1/openapi.json"' -- "$BIN" routes --json

finish
