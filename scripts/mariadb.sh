# Sourced by scripts/test, scripts/demo and scripts/bench: a throwaway
# MariaDB on a private socket and port, in a temporary data directory, that
# never touches the system's own server. Call mariadb_start DIR; it sets
# MARIADB_SOCK and MARIADB_PORT and registers mariadb_stop to run on exit.

# need_packages installs the Debian packages that provide the given commands
# when one is missing: "cmd:package" pairs.
need_packages() {
	local missing=() pair
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${missing[*]} (run as root, or apt-get install them)" >&2
		return 1
	fi
	echo "installing: ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	# Package scripts must not start services on the machine running tests.
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
	apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
	local rc=$?
	rm -f /usr/sbin/policy-rc.d
	return $rc
}

mariadb_start() {
	local dir=$1
	need_packages mariadbd:mariadb-server mariadb-install-db:mariadb-server || return 1
	mkdir -p "$dir/data"
	local user=()
	if [ "$(id -u)" -eq 0 ]; then
		# mariadbd runs as mysql: it must reach the directory through its
		# parent, which mktemp made private to root.
		chmod 755 "$(dirname "$dir")"
		chown -R mysql:mysql "$dir"
		user=(--user=mysql)
	fi
	mariadb-install-db --no-defaults "${user[@]}" --datadir="$dir/data" \
		--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
		{ cat "$dir/install.log" >&2; return 1; }
	# A free port: ask the kernel, then hand it to mariadbd.
	MARIADB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 33306)
	MARIADB_SOCK=$dir/mysqld.sock
	mariadbd --no-defaults "${user[@]}" --datadir="$dir/data" --socket="$MARIADB_SOCK" \
		--port="$MARIADB_PORT" --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" \
		--skip-name-resolve --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
		--log-error="$dir/error.log" &
	MARIADB_PID=$!
	trap mariadb_stop EXIT
	local i
	for i in $(seq 1 100); do
		if mariadb-admin --no-defaults --socket="$MARIADB_SOCK" -uroot ping >/dev/null 2>&1; then
			export MARIADB_SOCK MARIADB_PORT MARIADB_PID
			return 0
		fi
		kill -0 "$MARIADB_PID" 2>/dev/null || break
		sleep 0.2
	done
	echo "MariaDB did not start:" >&2
	tail -20 "$dir/error.log" >&2
	return 1
}

mariadb_stop() {
	if [ -n "${MARIADB_PID:-}" ] && kill -0 "$MARIADB_PID" 2>/dev/null; then
		kill "$MARIADB_PID" 2>/dev/null
		wait "$MARIADB_PID" 2>/dev/null
	fi
	MARIADB_PID=
	[ -n "${MARIADB_CLEANUP:-}" ] && rm -rf "$MARIADB_CLEANUP"
	return 0
}

# mariadb_sql runs SQL as root on the throwaway server.
mariadb_sql() {
	mariadb --no-defaults --socket="$MARIADB_SOCK" -uroot "$@"
}
