#!/usr/bin/env bash
# tests/cli/calendar.sh - `zhiliang calendar`: the working-day calendar of 2014-2026 from
# the command line.  The issue's vector (2014-09-30 + 5 working days = 2014-10-13), every
# year's total, make-up days and holidays with their exit codes, the notices a year lists,
# and the refusals (exit 2) of a bad date or number and of a date or year outside the
# calendar.  ZL_BIN names the binary (default ./zhiliang).  Ends with "N passed, N failed".
. "$(dirname "$0")/lib.bash"

C() { "$BIN" calendar "$@"; }

check "help lists calendar" 0 '^  calendar ' -- "$BIN" help
check "help calendar" 0 '^usage: zhiliang calendar add-working-days DATE N' -- "$BIN" help calendar
check "calendar --help" 0 'is-working-day DATE' -- C --help

# The issue's vector: National Day 1-7 October off, Saturday 11 October worked.
check "add-working-days: the issue's vector" 0 '^2014-10-13$' -- C add-working-days 2014-09-30 5
check "add-working-days 0 is the day itself" 0 '^2014-10-01$' -- C add-working-days 2014-10-01 0
check "add-working-days from a day off" 0 '^2014-10-08$' -- C add-working-days 2014-10-01 1
check "add-working-days over the Spring Festival 2026" 0 '^2026-02-24$' -- C add-working-days 2026-02-14 1
check "add-working-days into the next year" 0 '^2019-01-02$' -- C add-working-days 2018-12-28 2
check "working-days inverts add" 0 '^5$' -- C working-days 2014-09-30 2014-10-13
check "working-days of 2014 after 1 January" 0 '^250$' -- C working-days 2014-01-01 2014-12-31
check "working-days of an empty span" 0 '^0$' -- C working-days 2014-10-01 2014-10-07

# Every year's total (docs/calendar.md explains each).
y=2014
for total in 250 249 250 249 250 250 249 250 249 249 251 248 248; do
	check "year $y has $total working days" 0 "^$y: $total working days" -- C year $y
	y=$((y + 1))
done

check "a make-up Saturday is a working day (exit 0)" 0 $'^2014-10-11\tworking day\tSaturday, make-up working day \\(国庆节' -- C is-working-day 2014-10-11
check "a holiday is not (exit 1)" 1 $'^2014-10-01\tday off\tWednesday, holiday \\(国庆节 National Day, 国办发明电〔2013〕28号\\)' -- C is-working-day 2014-10-01
check "an ordinary Sunday is not (exit 1)" 1 $'^2014-10-12\tday off\tSunday$' -- C is-working-day 2014-10-12
check "an ordinary Monday is (exit 0)" 0 $'^2014-10-13\tworking day\tMonday$' -- C is-working-day 2014-10-13
check "2020-02-01: worked, then off by the extension" 1 '国办发明电〔2020〕1号' -- C is-working-day 2020-02-01
check "2015-09-03: the victory anniversary" 1 '国发明电〔2015〕1号' -- C is-working-day 2015-09-03
check "2025-01-28: the eve, statutory from 2025" 1 'Spring Festival, 国办发明电〔2024〕12号' -- C is-working-day 2025-01-28
check "2024-02-09: the eve, only encouraged in 2024" 0 'working day' -- C is-working-day 2024-02-09
check "next-working-day after the 2020 extension" 0 '^2020-02-03$' -- C next-working-day 2020-01-24
check "next-working-day of a working day" 0 '^2014-10-13$' -- C next-working-day 2014-10-13

check "year lists its notice" 0 '^国办发明电〔2013〕28号, 2013-12-11, 国务院办公厅关于2014年部分节假日安排的通知$' -- C year 2014
check "year lists days off" 0 '^  off   2014-10-01 \.\. 2014-10-07  国庆节 National Day$' -- C year 2014
check "year lists make-up days" 0 '^  work  2014-10-11 Sat            国庆节 National Day$' -- C year 2014
check "year 2020 marks the changed make-up day" 0 '2020-02-01 Sat .*\(changed by a later notice\)$' -- C year 2020
check "year 2020 lists the extension" 0 '^国办发明电〔2020〕1号, 2020-01-26, .*\(a change\)$' -- C year 2020
check "year 2018 lists its days set by the 2019 notice" 0 '^  work  2018-12-29 Sat' -- C year 2018
check "year 2018 names that notice" 0 '^set by the notice for 2019: 国办发明电〔2018〕15号' -- C year 2018
check "year 2025 names its notice" 0 '^国办发明电〔2024〕12号, 2024-11-12' -- C year 2025
check "year 2026 names its notice" 0 '^国办发明电〔2025〕7号, 2025-11-04' -- C year 2026

# Round trips over the whole span: working-days D (add-working-days D N) == N.
bad=
for d in 2014-01-01 2015-02-17 2016-09-30 2017-12-29 2019-04-26 2020-01-23 2022-01-28 2024-02-08 2025-09-26 2026-06-18; do
	for k in 1 5 15 30 90; do # not n: lib.bash counts the tests in n
		e=$(C add-working-days $d $k) || { bad="$bad $d+$k:add"; continue; }
		got=$(C working-days $d "$e")
		[ "$got" = "$k" ] || bad="$bad $d+$k=$e:$got"
	done
done
[ -z "$bad" ] && ok "working-days inverts add-working-days (50 pairs)" || nok "working-days inverts add-working-days" "$bad"

# Refusals: exit 2 and the reason.
check "bad date" 2 "bad date '2014-02-30'" -- C add-working-days 2014-02-30 5
check "date without zero padding" 2 "bad date '2014-1-1'" -- C is-working-day 2014-1-1
check "empty date" 2 "bad date ''" -- C next-working-day ''
check "bad TO" 2 "bad date 'tomorrow'" -- C working-days 2014-01-01 tomorrow
check "date before the calendar" 2 '2013-12-31 is outside the working-day calendar, which covers 2014-01-01 to 2026-12-31' -- C is-working-day 2013-12-31
check "date after the calendar" 2 'outside the working-day calendar' -- C add-working-days 2027-01-04 1
check "result after the calendar" 2 'falls after 2026-12-31' -- C add-working-days 2026-12-25 5
check "the last covered day is reachable" 0 '^2026-12-31$' -- C add-working-days 2026-12-25 4
check "negative N" 2 "bad number of working days '-1'" -- C add-working-days 2014-01-02 -1
check "N not a number" 2 "bad number of working days '5x'" -- C add-working-days 2014-01-02 5x
check "N too long" 2 "bad number of working days '1000000000'" -- C add-working-days 2014-01-02 1000000000
check "huge N runs off the calendar" 2 'falls after 2026-12-31' -- C add-working-days 2014-01-02 999999999
check "TO before FROM" 2 'the end date is before the start date' -- C working-days 2014-05-01 2014-04-30
check "year before the calendar" 2 'covers 2014 to 2026, not 2013' -- C year 2013
check "year after the calendar" 2 'covers 2014 to 2026, not 2027' -- C year 2027
check "bad year" 2 "bad year '14'" -- C year 14
check "year with trailing text" 2 "bad year '2014x'" -- C year 2014x
check "missing argument" 2 'add-working-days takes 2 arguments' -- C add-working-days 2014-01-02
check "extra argument" 2 'is-working-day takes 1 argument' -- C is-working-day 2014-01-02 2014-01-03
check "missing subcommand" 2 'missing subcommand' -- C
check "unknown subcommand" 2 "unknown subcommand 'frob'" -- C frob

finish
