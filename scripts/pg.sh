#!/bin/sh
# pg.sh - a throwaway PostgreSQL 15 server for the store test suite.
#
#   scripts/pg.sh start DIR PORT   initialise a cluster in DIR (if absent), start it on
#                                  127.0.0.1:PORT, create database zhiliang_test, and print
#                                  postgres://postgres@127.0.0.1:PORT/zhiliang_test
#   scripts/pg.sh stop DIR         stop the server running in DIR (no error if none)
#
# The cluster is owned by the `postgres` OS user (initdb refuses to run as root), trusts
# local connections (-A trust: it listens on loopback only, and only for tests), and keeps
# its unix socket in DIR so it never collides with a system server.  If a server is already
# running in DIR it is reused.  Only the URL goes to stdout; progress goes to stderr.
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGUSER_OS=${PGUSER_OS:-postgres}

die() {
	echo "pg.sh: $*" >&2
	exit 1
}

usage() {
	echo "usage: $0 start DIR PORT | stop DIR" >&2
	exit 2
}

# Run a command as the postgres OS user (or directly if we already are that user).
as_pg() {
	if [ "$(id -un)" = "$PGUSER_OS" ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u "$PGUSER_OS" -- "$@"
	else
		su "$PGUSER_OS" -s /bin/sh -c '"$0" "$@"' -- "$@"
	fi
}

[ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 not found in $PGBIN (install the postgresql package)"
id "$PGUSER_OS" >/dev/null 2>&1 || die "OS user $PGUSER_OS does not exist"

cmd=${1:-}
case "$cmd" in
start)
	[ $# -eq 3 ] || usage
	dir=$2
	port=$3
	case "$port" in
	'' | *[!0-9]*) die "PORT must be a number: $port" ;;
	esac
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	data="$dir/data"
	chown "$PGUSER_OS" "$dir"
	chmod 700 "$dir"
	# Every parent must be searchable by postgres (mktemp -d makes 0700 directories).
	as_pg test -w "$dir" ||
		die "user $PGUSER_OS cannot write $dir: make its parent directories searchable (chmod 755)"
	if [ ! -f "$data/PG_VERSION" ]; then
		echo "pg.sh: initdb in $data" >&2
		as_pg "$PGBIN/initdb" -D "$data" -U postgres -A trust -E UTF8 \
			--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			die "initdb failed; see $dir/initdb.log"
	fi
	if as_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		echo "pg.sh: reusing the server already running in $data" >&2
		# Take the port of the running server, which may differ from PORT.
		port=$(sed -n '4p' "$data/postmaster.pid")
	else
		as_pg "$PGBIN/pg_ctl" -D "$data" -w -t 60 -l "$dir/server.log" \
			-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c full_page_writes=off" \
			start >&2 || die "server did not start; see $dir/server.log"
	fi
	# Create the test database unless it exists.
	exists=$(as_pg "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -XAtq \
		-c "SELECT 1 FROM pg_database WHERE datname = 'zhiliang_test'") ||
		die "cannot query the server on port $port"
	if [ "$exists" != "1" ]; then
		as_pg "$PGBIN/createdb" -h "$dir" -p "$port" -U postgres -E UTF8 -T template0 \
			zhiliang_test || die "createdb failed"
	fi
	echo "postgres://postgres@127.0.0.1:$port/zhiliang_test"
	;;
stop)
	[ $# -eq 2 ] || usage
	dir=$(cd "$2" 2>/dev/null && pwd) || exit 0
	data="$dir/data"
	if [ -f "$data/postmaster.pid" ] &&
		as_pg "$PGBIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$data" -w -t 60 -m fast stop >&2
	fi
	;;
*)
	usage
	;;
esac
