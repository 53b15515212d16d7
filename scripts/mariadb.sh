# Sourced by scripts/test, scripts/demo and scripts/bench: a throwaway
# MariaDB on a private socket and port, in a temporary data directory, that
# never touches the system's own server. Call mariadb_start DIR; it sets
# MARIADB_SOCK and MARIADB_PORT and registers mariadb_stop to run on exit.

# need_packages installs the Debian packages that provide the given commands
# when one is missing: "cmd:package" pairs. It leaves the machine as it
# found it otherwise: package scripts may not start services while it runs
# (policy-rc.d; an existing one is put back as it was), and the services of
# the packages it added are disabled at boot (they were not enabled before,
# as the packages were not there). The packages stay installed.
# POLICY_RC_D overrides /usr/sbin/policy-rc.d (for the tests of this).
need_packages() {
	local missing=() pair
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null 2>&1 || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	missing=($(printf '%s\n' "${missing[@]}" | sort -u))
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${missing[*]} (run as root, or apt-get install them)" >&2
		return 1
	fi
	echo "installing: ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	local policy=${POLICY_RC_D:-/usr/sbin/policy-rc.d} saved=""
	if [ -e "$policy" ] || [ -L "$policy" ]; then
		saved=$(mktemp "$policy.setup-cisco.XXXXXX")
		rm -f "$saved"
		mv "$policy" "$saved"
	fi
	# Package scripts must not start services on the machine running tests.
	printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
	local rc=0
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 || rc=$?
	rm -f "$policy"
	if [ -n "$saved" ]; then
		mv "$saved" "$policy"
	fi
	[ $rc -eq 0 ] || return $rc
	disable_services "${missing[@]}"
}

# disable_services PACKAGE...: turn off at boot the systemd units and init
# scripts the packages' own scripts enabled.
disable_services() {
	local pkg f u
	for pkg in "$@"; do
		for f in $(dpkg -L "$pkg" 2>/dev/null); do
			case $f in
			/lib/systemd/system/*.service | /usr/lib/systemd/system/*.service | \
				/lib/systemd/system/*.socket | /usr/lib/systemd/system/*.socket | \
				/lib/systemd/system/*.timer | /usr/lib/systemd/system/*.timer)
				u=${f##*/}
				if [ "$(systemctl is-enabled "$u" 2>/dev/null)" = enabled ]; then
					systemctl disable "$u" >/dev/null 2>&1 && echo "disabled $u at boot ($pkg was installed for the tests)" >&2
				fi ;;
			/etc/init.d/?*)
				u=${f##*/}
				if ls /etc/rc[2345].d/S??"$u" >/dev/null 2>&1; then
					update-rc.d "$u" disable >/dev/null 2>&1 && echo "disabled /etc/init.d/$u at boot ($pkg was installed for the tests)" >&2
				fi ;;
			esac
		done
	done
	return 0
}

mariadb_start() {
	local dir=$1
	need_packages mariadbd:mariadb-server mariadb-install-db:mariadb-server || return 1
	mkdir -p "$dir/data"
	local user=()
	if [ "$(id -u)" -eq 0 ]; then
		# mariadbd runs as mysql: it must reach the directory through its
		# parent, which mktemp made private to root. Add search permission
		# only: "chmod 755" on a parent such as /tmp (mariadb_start /tmp/x)
		# took away its sticky and write bits from every other user.
		chmod go+x "$(dirname "$dir")"
		chown -R mysql:mysql "$dir"
		user=(--user=mysql)
	fi
	mariadb-install-db --no-defaults "${user[@]}" --datadir="$dir/data" \
		--auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
		{ cat "$dir/install.log" >&2; return 1; }
	# A free port: ask the kernel, then hand it to mariadbd.
	# The connection and table-cache limits are a test server's, not a
	# PBX's: with the defaults (151 connections, 2000 tables) mariadbd asks
	# for about 32,000 open files and warns "Could not increase number of
	# max_open_files" where the limit is lower. That warning is harmless
	# here; these limits need under 1,024 files, so it does not appear.
	MARIADB_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 33306)
	MARIADB_SOCK=$dir/mysqld.sock
	mariadbd --no-defaults "${user[@]}" --datadir="$dir/data" --socket="$MARIADB_SOCK" \
		--port="$MARIADB_PORT" --bind-address=127.0.0.1 --pid-file="$dir/mysqld.pid" \
		--skip-name-resolve --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
		--max-connections=100 --table-open-cache=400 \
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
