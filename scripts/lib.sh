# SPDX-License-Identifier: Apache-2.0
#
# scripts/lib.sh: shared by scripts/test, scripts/stack and scripts/demo
# (source it).
#
# isg_build_pkgs: the Debian packages needed to build libissuesight and its
# executables; isg_test_pkgs: the extra ones the test suite needs (services,
# cmocka, formatting, and Node.js and chromium for the web UI: Debian 12's
# nodejs is 18 without npm, the web UI needs Node.js >= 20.9 with npm, e.g.
# NodeSource's nodejs package, which satisfies this list).
# isg_install_packages PREFIX PKG... installs the missing ones with apt-get
# (a no-op when everything is there).

isg_build_pkgs=(meson ninja-build pkg-config gcc g++ git cmake libssl-dev
	libcurl4-openssl-dev libcjson-dev libhiredis-dev libpq-dev
	libmongoc-dev libbson-dev libcivetweb-dev civetweb libsqlite3-dev zlib1g-dev
	python3)
isg_test_pkgs=(libcmocka-dev postgresql redis-server clang-format iproute2
	python3-jsonschema python3-yaml
	nodejs chromium) # the web UI (web/): Node.js >= 20.9 with npm, e2e browser

isg_install_packages() {
	local prefix=$1 p sudo=""
	shift
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	printf '%s: installing: %s\n' "$prefix" "${missing[*]}" >&2
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# ---- Private services (scripts/test, scripts/stack) ------------------------
# isg_services_start DIR starts a trust-auth PostgreSQL cluster, Redis and a
# MongoDB-wire server (mongod when on PATH, else FerretDB v1.24.2, built
# once from the Go module proxy and cached) under DIR, on free ports below
# 32768, and sets:
#   isg_pg_port isg_redis_port isg_mongo_port
#   isg_pg_ctl   the pg_ctl command line (run as postgres) without -o
#   isg_pg_opts  the server options to pass with -o when (re)starting
#   isg_pids     background processes to stop (the MongoDB-wire server)
# isg_services_stop DIR stops what isg_services_start started (every
# process by its own id) and waits for it. Both need isg_log.

isg_pids=()
isg_pg_ctl=""
isg_used_ports=" "

isg_log() { printf '%s: %s\n' "${isg_prog:-issuesight}" "$*" >&2; }

isg_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# isg_free_port VAR: a free port in 20000..31999 not handed out before.
isg_free_port() {
	local _isg_port
	while :; do
		_isg_port=$((20000 + RANDOM % 12000))
		case "$isg_used_ports" in *" $_isg_port "*) continue ;; esac
		isg_port_busy "$_isg_port" || break
	done
	isg_used_ports+="$_isg_port "
	printf -v "$1" '%s' "$_isg_port"
}

isg_wait_port() { # port, what, seconds
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		isg_port_busy "$1" && return 0
		sleep 0.1
	done
	isg_log "$2 did not start on port $1"
	return 1
}

isg_pg_start() { # dir
	local dir=$1 pgbin
	pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	isg_free_port isg_pg_port
	mkdir -p "$dir/pg" "$dir/pgsock" || return 1
	chown postgres "$dir/pg" "$dir/pgsock" || return 1
	runuser -u postgres -- "$pgbin/initdb" -D "$dir/pg" -A trust --no-sync \
		-U postgres -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
	isg_pg_ctl="$pgbin/pg_ctl -D $dir/pg -l $dir/pg/server.log -w -t 30"
	isg_pg_opts="-p $isg_pg_port -c listen_addresses=127.0.0.1 -k $dir/pgsock -c fsync=off -c max_connections=300 -c full_page_writes=off"
	runuser -u postgres -- $isg_pg_ctl -o "$isg_pg_opts" start >/dev/null
}

isg_redis_start() { # dir
	local dir=$1
	isg_free_port isg_redis_port
	mkdir -p "$dir/redis" || return 1
	redis-server --port "$isg_redis_port" --bind 127.0.0.1 --save "" \
		--appendonly no --daemonize yes --dir "$dir/redis" \
		--pidfile "$dir/redis.pid" --logfile "$dir/redis/redis.log" || return 1
	isg_wait_port "$isg_redis_port" redis 10
}

# isg_ferretdb: the path of the cached FerretDB binary, built when missing.
isg_ferretdb() {
	local cache=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/issuesight
	local fdb="$cache/ferretdb-v1.24.2/ferretdb" src work
	if [ ! -x "$fdb" ]; then
		isg_log "building FerretDB v1.24.2 once (cached in $cache)"
		command -v go >/dev/null || { isg_log "go is needed to build FerretDB"; return 1; }
		src=$(go mod download -json github.com/FerretDB/FerretDB@v1.24.2 |
			sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
		[ -n "$src" ] && work=$(mktemp -d) || return 1
		cp -r "$src/." "$work/" && chmod -R u+w "$work" &&
			mkdir -p "$work/build/version" "$(dirname "$fdb")" &&
			echo v1.24.2 >"$work/build/version/version.txt" &&
			(cd "$work" && CGO_ENABLED=0 go build -o "$fdb.tmp" ./cmd/ferretdb) &&
			mv "$fdb.tmp" "$fdb"
		local rc=$?
		rm -rf "$work"
		[ $rc = 0 ] || return 1
	fi
	echo "$fdb"
}

isg_mongo_start() { # dir
	local dir=$1 fdb
	isg_free_port isg_mongo_port
	mkdir -p "$dir/mongo"
	if command -v mongod >/dev/null 2>&1; then
		mongod --dbpath "$dir/mongo" --port "$isg_mongo_port" \
			--bind_ip 127.0.0.1 --quiet --logpath "$dir/mongo/mongod.log" &
		isg_pids+=($!)
	else
		fdb=$(isg_ferretdb) || return 1
		"$fdb" --handler=sqlite --sqlite-url="file:$dir/mongo/" \
			--listen-addr="127.0.0.1:$isg_mongo_port" --state-dir=- \
			--debug-addr=- --telemetry=disable --log-level=error \
			>"$dir/mongo/ferretdb.log" 2>&1 &
		isg_pids+=($!)
	fi
	isg_wait_port "$isg_mongo_port" "MongoDB-wire server" 30
}

isg_services_start() { # dir
	export PATH="$PATH:/usr/local/go/bin:${HOME:-/root}/go/bin"
	isg_pg_start "$1" || return 1
	isg_redis_start "$1" || return 1
	isg_mongo_start "$1"
}

isg_services_stop() { # dir
	local p
	for p in "${isg_pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -f "$1/redis.pid" ] && kill "$(cat "$1/redis.pid")" 2>/dev/null
	[ -n "$isg_pg_ctl" ] &&
		runuser -u postgres -- $isg_pg_ctl stop -m immediate >/dev/null 2>&1
	for p in "${isg_pids[@]}"; do wait "$p" 2>/dev/null; done
	return 0
}
