#!/usr/bin/env bash
# tests/cli/draw.sh - `zhiliang draw`: commitments, selection and verification from files
# (docs/draws.md).  The same draw from UTF-8, UTF-8 with BOM and GBK files and in any row
# order; strata and their quotas; a record that verifies, also with the independent Python
# implementation tests/cli/draw_ref.py; a changed candidate, seed or result that does not;
# the refusals with file, row and column (exit 1) and the usage errors (exit 2).  Fixtures
# are in tests/data/draw.  ZL_BIN names the binary (default ./zhiliang).  Ends with
# "N passed, N failed".
. "$(dirname "$0")/lib.bash"

D=$(dirname "$0")/../data/draw
REF=$(dirname "$0")/draw_ref.py
SEED=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
SEED2=ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
STRAT=(--weight 权重 --stratum 行政区划 --quota "$D/quota.csv")
# The independent implementation is part of the test: scripts/deps.sh test installs python3.
have_python=0
command -v python3 >/dev/null && have_python=1
[ $have_python = 1 ] || check "python3 is installed (scripts/deps.sh test)" 0 '' -- false

dr() { "$BIN" draw "$@"; }
# same NAME FILE1 FILE2: the two files have the same bytes
same() { if cmp -s "$2" "$3"; then ok "$1"; else nok "$1" "$(diff "$2" "$3" | head -5)"; fi; }

check "help lists draw" 0 '^  draw ' -- "$BIN" help
check "help draw" 0 '^usage: zhiliang draw commit' -- "$BIN" help draw
check "draw --help" 0 'draw verify RECORD.json' -- dr --help

# ---- select -----------------------------------------------------------------------------
check "select 5 of 40" 0 '^统一社会信用代码,企业名称,行政区划,企业分类,权重' -- \
	dr select --candidates "$D/candidates.csv" --count 5 --seed $SEED
cp "$T/out" "$T/plain.csv"
[ "$(wc -l <"$T/plain.csv")" -eq 6 ] && ok "header and 5 rows" || nok "header and 5 rows" "$(cat "$T/plain.csv")"
dr select --candidates "$D/candidates.csv" --count 5 --seed $SEED >"$T/again.csv"
same "the same seed gives the same rows" "$T/plain.csv" "$T/again.csv"
dr select --candidates "$D/candidates.csv" --count 5 --seed $SEED2 >"$T/other.csv"
cmp -s "$T/plain.csv" "$T/other.csv" && nok "another seed, other rows" "same output" || ok "another seed, other rows"
dr select --candidates "$D/candidates-gbk.csv" --count 5 --seed $SEED >"$T/gbk.csv"
same "GBK file: the same rows (printed in UTF-8)" "$T/plain.csv" "$T/gbk.csv"
printf '\xef\xbb\xbf' | cat - "$D/candidates.csv" >"$T/bom.csv"
dr select --candidates "$T/bom.csv" --count 5 --seed $SEED >"$T/bom.out"
same "UTF-8 with BOM: the same rows" "$T/plain.csv" "$T/bom.out"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$D/candidates.csv"; } >"$T/utf16.csv"
dr select --candidates "$T/utf16.csv" --count 5 --seed $SEED >"$T/utf16.out"
same "UTF-16 with BOM: the same rows" "$T/plain.csv" "$T/utf16.out"
{ head -1 "$D/candidates.csv"; tail -n +2 "$D/candidates.csv" | sort -r; } >"$T/shuffled.csv"
dr select --candidates "$T/shuffled.csv" --count 5 --seed $SEED >"$T/shuffled.out"
same "rows in another order: the same rows" "$T/plain.csv" "$T/shuffled.out"
tr -d '\r' <"$D/candidates.csv" | tr ',' '\t' >"$T/tabs.tsv"
dr select --candidates "$T/tabs.tsv" --count 5 --seed $SEED | tr ',' '\t' >"$T/tabs.out"
tr ',' '\t' <"$T/plain.csv" | cmp -s - "$T/tabs.out" && ok "TAB-separated: the same rows" ||
	nok "TAB-separated: the same rows" "$(head -3 "$T/tabs.out")"
check "select by another id column" 0 '' -- \
	dr select --candidates "$D/candidates.csv" --id 企业名称 --count 3 --seed $SEED

# strata: each district its quota, 410122 (quota 0) none
dr select --candidates "$D/candidates.csv" "${STRAT[@]}" --seed $SEED >"$T/strata.csv"
counts=$(tail -n +2 "$T/strata.csv" | cut -d, -f3 | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
[ "$counts" = "410102:2 410103:1 410104:2 410105:3 " ] && ok "every stratum its quota" ||
	nok "every stratum its quota" "$counts"
dr select --candidates "$D/candidates-gbk.csv" --weight 权重 --stratum 行政区划 \
	--quota "$D/quota-gbk.csv" --seed $SEED >"$T/strata-gbk.csv"
same "stratified from GBK files: the same rows" "$T/strata.csv" "$T/strata-gbk.csv"
# a candidate added to 410105 changes nothing in the other districts
{ cat "$D/candidates.csv"; printf '91410105MA9XXXXX1B,金水新增有限公司,410105,D,4\r\n'; } >"$T/plus.csv"
dr select --candidates "$T/plus.csv" "${STRAT[@]}" --seed $SEED >"$T/plus.out"
if diff <(grep -v ',410105,' "$T/strata.csv") <(grep -v ',410105,' "$T/plus.out") >/dev/null; then
	ok "a stratum's new candidate leaves the other strata as they were"
else
	nok "strata independent" "$(diff "$T/strata.csv" "$T/plus.out")"
fi
check "--count equal to the quotas' sum" 0 '' -- \
	dr select --candidates "$D/candidates.csv" "${STRAT[@]}" --count 8 --seed $SEED

# ---- the record and verify ----------------------------------------------------------------
dr select --candidates "$D/candidates.csv" "${STRAT[@]}" --label "2014年第3批 郑州" \
	--seed $SEED --json >"$T/rec.json"
check "the record has the algorithm" 0 '"algorithm":"zhiliang-draw-v1","kind":"select","label":"2014年第3批 郑州"' -- cat "$T/rec.json"
check "the record carries the selected rows" 0 '"row":\["[0-9A-Z]{18}","[^"]+有限公司","410102"' -- cat "$T/rec.json"
check "verify a record" 0 '^verified: ' -- dr verify "$T/rec.json"
check "verify says what it checked" 0 '^result matches: 8 of 8 positions' -- dr verify "$T/rec.json"
dr select --candidates "$D/candidates.csv" --count 5 --seed $SEED --json >"$T/rec-plain.json"
check "verify an unstratified record" 0 '^verified' -- dr verify "$T/rec-plain.json"
if [ $have_python = 1 ]; then
	check "the Python implementation verifies it too" 0 '^verified$' -- python3 "$REF" verify "$T/rec.json"
	check "...and the unstratified one" 0 '^verified$' -- python3 "$REF" verify "$T/rec-plain.json"
fi

# tampering
id=$(tail -n +2 "$D/candidates.csv" | cut -d, -f1 | sed -n 7p)
[ "${id: -1}" = 0 ] && other=${id%?}1 || other=${id%?}0
sed "s/\"id\":\"$id\",\"weight\"/\"id\":\"$other\",\"weight\"/" "$T/rec.json" >"$T/t1.json"
cmp -s "$T/rec.json" "$T/t1.json" && nok "the candidate was changed" "$id not found" || ok "the candidate was changed"
check "a changed candidate: input commitment differs" 1 '^input commitment DIFFERS' -- dr verify "$T/t1.json"
check "...not verified" 1 '^NOT verified' -- dr verify "$T/t1.json"
sed 's/"weight":"4"/"weight":"3"/' "$T/rec.json" >"$T/t2.json"
check "a changed weight: input commitment differs" 1 '^input commitment DIFFERS' -- dr verify "$T/t2.json"
sed "s/\"seed\":\"$SEED\"/\"seed\":\"$SEED2\"/" "$T/rec.json" >"$T/t3.json"
check "a changed seed: seed commitment differs" 1 '^seed commitment DIFFERS' -- dr verify "$T/t3.json"
check "...and the result is not reproduced" 1 '^result position [0-9]+ DIFFERS' -- dr verify "$T/t3.json"
first=$(grep -o '"position":1,"id":"[^"]*"' "$T/rec.json" | cut -d'"' -f6)
second=$(grep -o '"position":2,"id":"[^"]*"' "$T/rec.json" | cut -d'"' -f6)
sed "s/\"position\":2,\"id\":\"$second\"/\"position\":2,\"id\":\"$first\"/" "$T/rec.json" >"$T/t4.json"
check "a changed result: position 2 named" 1 "^result position 2 DIFFERS: the record has id '$first', the draw gives '$second'" -- dr verify "$T/t4.json"
check "...the other positions still match" 1 '' -- dr verify "$T/t4.json"
grep -q 'position 1 DIFFERS' "$T/out" && nok "only position 2 differs" "$(cat "$T/out")" || ok "only position 2 differs"
if [ $have_python = 1 ]; then
	check "the Python implementation finds the changed candidate" 1 'input commitment DIFFERS' -- python3 "$REF" verify "$T/t1.json"
	check "...the changed seed" 1 'seed commitment DIFFERS' -- python3 "$REF" verify "$T/t3.json"
	check "...the changed result" 1 'result position 2 DIFFERS' -- python3 "$REF" verify "$T/t4.json"
fi

# An inspector draw's record, written by the Python implementation: zhiliang agrees with it.
check "an inspector record made by draw_ref.py verifies" 0 '^result matches: 4 of 4 positions' -- \
	dr verify "$D/inspectors-record.json"
sed 's/"exclude_own_county": true/"exclude_own_county": false/' "$D/inspectors-record.json" >"$T/i1.json"
check "...not once the county rule is switched off" 1 '^input commitment DIFFERS' -- dr verify "$T/i1.json"
sed 's/"conflicts": \["E1"\]/"conflicts": []/' "$D/inspectors-record.json" >"$T/i2.json"
check "...nor with a conflict withdrawn" 1 '^input commitment DIFFERS' -- dr verify "$T/i2.json"

# unreadable records: exit 2
printf '{"record":' >"$T/bad.json"
check "a record that is not JSON" 2 'cannot read the record: invalid JSON at byte offset' -- dr verify "$T/bad.json"
check "a missing record file" 2 'cannot read the record: .*No such file' -- dr verify "$T/none.json"
sed 's/"algorithm":"zhiliang-draw-v1"/"algorithm":"zhiliang-draw-v9"/' "$T/rec.json" >"$T/v9.json"
check "an unknown algorithm" 2 "algorithm 'zhiliang-draw-v9' is not one this program knows" -- dr verify "$T/v9.json"
sed 's/"weight":"4"/"weight":4/' "$T/rec.json" >"$T/w.json"
check "a weight that is a number" 2 'weight must be a string \(candidates\[[0-9]+\]\.weight\)' -- dr verify "$T/w.json"
sed "s/\"id\":\"$id\",\"weight\"/\"id\":\"$first\",\"weight\"/" "$T/rec.json" >"$T/dup.json"
check "inputs that are not a draw (an id twice)" 2 "inputs are not a valid draw: id '$first' is there twice" -- dr verify "$T/dup.json"
check "verify takes one file" 2 'verify takes one argument' -- dr verify

# ---- commit -----------------------------------------------------------------------------
check "commit with a seed" 0 '^input_commitment [0-9a-f]{64}$' -- \
	dr commit --candidates "$D/candidates.csv" "${STRAT[@]}" --label "2014年第3批 郑州" --seed $SEED
in_rec=$(grep -o '"input_commitment":"[0-9a-f]*"' "$T/rec.json" | cut -d'"' -f4)
sd_rec=$(grep -o '"seed_commitment":"[0-9a-f]*"' "$T/rec.json" | cut -d'"' -f4)
grep -q "^input_commitment $in_rec$" "$T/out" && ok "commit: the record's input commitment" || nok "commit input" "$(cat "$T/out") vs $in_rec"
grep -q "^seed_commitment $sd_rec$" "$T/out" && ok "commit: the record's seed commitment" || nok "commit seed" "$(cat "$T/out") vs $sd_rec"
grep -q '^seed ' "$T/out" && nok "a given seed is not printed" "$(cat "$T/out")" || ok "a given seed is not printed"
check "commit from GBK: the same commitment" 0 "^input_commitment $in_rec$" -- \
	dr commit --candidates "$D/candidates-gbk.csv" --weight 权重 --stratum 行政区划 \
	--quota "$D/quota-gbk.csv" --label "2014年第3批 郑州" --seed $SEED
check "commit makes a seed" 0 '^seed [0-9a-f]{64}$' -- dr commit --candidates "$D/candidates.csv" --count 3
check "...and says to keep it secret" 0 'keep the seed secret' -- dr commit --candidates "$D/candidates.csv" --count 3
made=$(grep '^seed ' "$T/out" | cut -d' ' -f2)
scom=$(grep '^seed_commitment ' "$T/out" | cut -d' ' -f2)
[ "$(printf '%s' "$made" | xxd -r -p | sha256sum | cut -d' ' -f1)" = "$scom" ] &&
	ok "the seed commitment is SHA-256 of the seed's bytes" || nok "seed commitment" "$made $scom"
dr commit --candidates "$D/candidates.csv" --count 3 2>/dev/null | grep '^seed ' >"$T/s2"
[ "$(cut -d' ' -f2 "$T/s2")" != "$made" ] && ok "every commit makes a new seed" || nok "new seed" "$made"
check "commit --seed-out" 0 '"seed_commitment":"[0-9a-f]{64}"' -- \
	dr commit --candidates "$D/candidates.csv" "${STRAT[@]}" --seed-out "$T/seed.txt" --json
cp "$T/out" "$T/commitment.json"
[ "$(stat -c %a "$T/seed.txt")" = 600 ] && ok "the seed file is the owner's only" || nok "seed file mode" "$(stat -c %a "$T/seed.txt")"
grep -q '"seed"' "$T/commitment.json" && nok "the commitment record has no seed" "$(head -c 300 "$T/commitment.json")" ||
	ok "the commitment record has no seed"
check "the seed file is never overwritten" 2 'File exists' -- \
	dr commit --candidates "$D/candidates.csv" --count 3 --seed-out "$T/seed.txt"
check "verify before the draw: the inputs match, nothing else yet" 1 '^input commitment matches' -- dr verify "$T/commitment.json"
check "...the seed is not revealed" 1 '^seed: not revealed yet' -- dr verify "$T/commitment.json"
# the draw with the kept seed publishes the same commitments
dr select --candidates "$D/candidates.csv" "${STRAT[@]}" --seed "$(cat "$T/seed.txt")" --json >"$T/drawn.json"
for k in input_commitment seed_commitment; do
	a=$(grep -o "\"$k\":\"[0-9a-f]*\"" "$T/commitment.json")
	b=$(grep -o "\"$k\":\"[0-9a-f]*\"" "$T/drawn.json")
	[ -n "$a" ] && [ "$a" = "$b" ] && ok "the draw's $k is the one committed" || nok "$k" "$a / $b"
done
check "the drawn record verifies" 0 '^verified' -- dr verify "$T/drawn.json"
check "commit --json needs --seed-out for a made seed" 2 'give --seed-out FILE' -- \
	dr commit --candidates "$D/candidates.csv" --count 3 --json
check "--seed and --seed-out exclude each other" 2 'exclude each other' -- \
	dr commit --candidates "$D/candidates.csv" --count 3 --seed $SEED --seed-out "$T/s3"

# ---- refusals: exit 1, naming file, row and column ----------------------------------------
H='统一社会信用代码,企业名称,行政区划,企业分类,权重'
bad() { # NAME ROW-TEXT PATTERN [extra args]
	local name=$1 row=$2 pat=$3
	shift 3
	printf '%s\r\n%s\r\n%s\r\n' "$H" "$(sed -n 2p "$D/candidates.csv" | tr -d '\r')" "$row" >"$T/bad.csv"
	check "$name" 1 "$pat" -- dr select --candidates "$T/bad.csv" --weight 权重 --count 1 --seed $SEED "$@"
}
bad "a negative weight" "91410105MA9XXXXX1B,某公司,410105,D,-4" "bad.csv row 3, column 权重: weight '-4' is negative"
bad "a zero weight" "91410105MA9XXXXX1B,某公司,410105,D,0" "bad.csv row 3, column 权重: weight '0' is 0"
bad "a weight that is not a number" "91410105MA9XXXXX1B,某公司,410105,D,四" "bad.csv row 3, column 权重: weight '四' is not a plain decimal number"
bad "a weight with 7 decimals" "91410105MA9XXXXX1B,某公司,410105,D,0.0000001" "bad.csv row 3, column 权重: weight '0.0000001' has more than 6 decimal places"
dupid=$(sed -n 2p "$D/candidates.csv" | cut -d, -f1)
bad "a duplicate id" "$dupid,某公司,410105,D,4" "bad.csv row 3, column 统一社会信用代码: id '$dupid' is there twice \(first at row 2\)"
bad "an empty id" ",某公司,410105,D,4" "bad.csv row 3, column 统一社会信用代码: the id is empty"
printf '行政区划,抽查数量\n410102,2\n410103,1\n410104,2\n410105,3\n410122,0\n410199,1\n' >"$T/q1.csv"
check "a quota for an unknown stratum" 1 "q1.csv row 7: stratum '410199' has a quota but no candidates" -- \
	dr select --candidates "$D/candidates.csv" --stratum 行政区划 --quota "$T/q1.csv" --seed $SEED
printf '行政区划,抽查数量\n410102,2\n410103,99\n410104,2\n410105,3\n410122,0\n' >"$T/q2.csv"
check "a quota larger than its stratum" 1 "q2.csv row 3: the quota 99 of stratum '410103' is larger than its 8 candidates" -- \
	dr select --candidates "$D/candidates.csv" --stratum 行政区划 --quota "$T/q2.csv" --seed $SEED
printf '行政区划,抽查数量\n410102,2\n' >"$T/q3.csv"
check "a stratum without a quota" 1 "candidates.csv row [0-9]+, column 行政区划: stratum '410103' .* has no quota" -- \
	dr select --candidates "$D/candidates.csv" --stratum 行政区划 --quota "$T/q3.csv" --seed $SEED
check "a count the quotas do not add up to" 1 'the count 9 is not the sum of the quotas \(8\)' -- \
	dr select --candidates "$D/candidates.csv" "${STRAT[@]}" --count 9 --seed $SEED
check "more than there are" 1 'cannot draw 41 from 40 candidates' -- \
	dr select --candidates "$D/candidates.csv" --count 41 --seed $SEED
printf 'id,name\nA1,x\nA2,y,z\n' >"$T/long.csv"
check "a row longer than the header" 1 'long.csv row 3: 3 cells, but the header has 2' -- \
	dr select --candidates "$T/long.csv" --count 1 --seed $SEED
printf 'id,name\nA1,"x\n' >"$T/quote.csv"
check "an unterminated quote" 1 'quote.csv row 2: quoted cell not closed' -- \
	dr select --candidates "$T/quote.csv" --count 1 --seed $SEED
check "an unknown weight column" 1 "has no column '重量' \(the header has: 统一社会信用代码, 企业名称" -- \
	dr select --candidates "$D/candidates.csv" --weight 重量 --count 3 --seed $SEED

# ---- usage errors: exit 2 ---------------------------------------------------------------------
check "a seed too short" 2 'bad --seed: a seed is 64 hex digits \(32 bytes\), not 6 characters' -- \
	dr select --candidates "$D/candidates.csv" --count 3 --seed abcdef
check "a seed with a non-hex digit" 2 'bad --seed: a seed is 64 hex digits; character 64 is not one' -- \
	dr select --candidates "$D/candidates.csv" --count 3 --seed "${SEED%?}z"
check "select needs a seed" 2 '--seed HEX is required' -- dr select --candidates "$D/candidates.csv" --count 3
check "a count is needed" 2 '--count N .* is required' -- dr select --candidates "$D/candidates.csv" --seed $SEED
check "a bad count" 2 "bad --count '0'" -- dr select --candidates "$D/candidates.csv" --count 0 --seed $SEED
check "--stratum without --quota" 2 'go together' -- \
	dr select --candidates "$D/candidates.csv" --stratum 行政区划 --count 3 --seed $SEED
check "an unknown option" 2 "unknown option '--frob'" -- dr select --frob x --candidates "$D/candidates.csv"
check "a missing candidate file" 2 'none.csv: No such file' -- dr select --candidates "$T/none.csv" --count 1 --seed $SEED
check "a GBK file read as UTF-8" 2 'is not valid UTF-8: bad byte at offset [0-9]+ \(line 1\); try --encoding gbk' -- \
	dr select --candidates "$D/candidates-gbk.csv" --encoding utf-8 --count 1 --seed $SEED
printf '\xef\xbb\xbfid\nA\xff\n' >"$T/bombad.csv"
check "bad bytes after a UTF-8 BOM" 2 'bombad.csv is not valid UTF-8: bad byte at offset 7 \(line 2\)' -- \
	dr select --candidates "$T/bombad.csv" --count 1 --seed $SEED
printf 'id,name\nA1,\x81\n' >"$T/gbkbad.csv"
check "bytes that are not GBK either" 2 'gbkbad.csv: .*' -- \
	dr select --candidates "$T/gbkbad.csv" --encoding gbk --count 1 --seed $SEED
check "a bad encoding name" 2 "bad --encoding 'latin1'" -- \
	dr select --candidates "$D/candidates.csv" --encoding latin1 --count 1 --seed $SEED
check "an unknown subcommand" 2 "unknown subcommand 'pick'" -- dr pick
check "no subcommand" 2 'missing subcommand' -- dr

finish
