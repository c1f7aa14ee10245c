#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/serve: the gateway serving a cached Context Bridge against nginx (one
# worker) serving the same bytes as a static file, measured in the same run,
# A B A B with wrk -t2 -c64. Prints req/s, p50 and p99 of both and the
# ratio; then the path without the memory tier (Redis hit per request) and
# the gateway's RSS holding 1,000 idle keep-alive connections.
#
# Needs: wrk, nginx (apt-get install wrk nginx), a release build
# (meson setup build-bench --buildtype=release; ninja -C build-bench), and
# the services of scripts/test: ISG_TEST_DATABASE_URL, ISG_TEST_REDIS_URL,
# ISG_TEST_MONGODB_URI. Usage: bench/serve/run.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
secs=${2:-10}
gw=$build/servers/gateway/issuesight-gateway
for v in ISG_TEST_DATABASE_URL ISG_TEST_REDIS_URL ISG_TEST_MONGODB_URI; do
	[ -n "${!v:-}" ] || { echo "bench/serve: $v is not set" >&2; exit 2; }
done
command -v wrk >/dev/null && command -v nginx >/dev/null ||
	{ echo "bench/serve: needs wrk and nginx" >&2; exit 2; }
tmp=$(mktemp -d /tmp/isg-serve.XXXXXX)
chmod 755 "$tmp"
db=serve$$
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	psql -qAtX "$ISG_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
port() { echo $((20000 + RANDOM % 12000)); }
psql -qAtX "$ISG_TEST_DATABASE_URL" -c "CREATE DATABASE $db" >/dev/null
dburl=${ISG_TEST_DATABASE_URL%/*}/$db

start_gateway() { # port, extra env...
	local p=$1
	shift
	env DATABASE_URL="$dburl" REDIS_URL="$ISG_TEST_REDIS_URL" \
		MONGODB_URI="${ISG_TEST_MONGODB_URI%/}/$db" \
		GATEWAY_LISTEN="127.0.0.1:$p" GATEWAY_THREADS=1100 \
		GATEWAY_ANON_RATE_PER_MIN=0 ISSUESIGHT_LOG_LEVEL=warn "$@" \
		"$gw" --no-access-log 2>>"$tmp/gw.log" &
	pids+=($!)
	for _ in $(seq 100); do
		curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && return 0
		sleep 0.1
	done
	echo "bench/serve: the gateway did not start" >&2
	exit 1
}

gp=$(port)
start_gateway "$gp"
# A bridge of about 13 kB, stored COMPLETED.
python3 - "$tmp/bridge.json" <<'PY'
import json, sys
steps = [{"title": f"Step {i}", "detail": "Read the module and its tests; " * 12}
         for i in range(28)]
doc = {"schema_version": "1.0", "issue": {"repo": "bench/serve", "number": 1},
       "guide": {"steps": steps}}
open(sys.argv[1], "w").write(json.dumps(doc))
PY
psql -qAtX "$dburl" -v ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO projects (gh_repo_id, owner, name, full_name) VALUES (1, 'bench', 'serve$$', 'bench/serve$$');
INSERT INTO github_issues (project_id, gh_issue_id, issue_number, title, state, gh_updated_at)
  SELECT id, 1, 1, 't', 'open', now() FROM projects;
INSERT INTO tutorial_contents (issue_id, status, bridge, engine)
  SELECT id, 'COMPLETED', pg_read_file('$tmp/bridge.json')::jsonb, 'offline' FROM github_issues;
SQL
path=/api/v1/bridges/bench/serve$$/1
curl -sf "http://127.0.0.1:$gp$path" -o "$tmp/www.json"
bytes=$(stat -c %s "$tmp/www.json")

np=$(port)
mkdir -p "$tmp/www/api/v1/bridges/bench/serve$$"
cp "$tmp/www.json" "$tmp/www$path"
cat >"$tmp/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 4096; }
http {
	access_log off;
	default_type application/json;
	keepalive_requests 1000000;
	server { listen 127.0.0.1:$np; root $tmp/www; }
}
NGINX
nginx -c "$tmp/nginx.conf" &
pids+=($!)
sleep 0.5

run() { # url -> "rps p50 p99" (ms)
	wrk -t2 -c64 -d"${secs}s" --latency "$1" | awk '
		/Requests\/sec/ {rps=$2}
		/^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
		END {print rps, p50, p99}'
}
ms() { # wrk latency (e.g. 1.23ms, 850.00us, 1.01s) -> ms
	awk -v v="$1" 'BEGIN { n = v + 0;
		if (v ~ /us$/) n /= 1000; else if (v ~ /s$/ && v !~ /ms$/) n *= 1000;
		printf "%.3f", n }'
}
echo "bridge: $bytes bytes; wrk -t2 -c64 -d${secs}s; A = gateway (memory tier), B = nginx (1 worker)"
printf '%-8s %12s %10s %10s\n' run req/s p50_ms p99_ms
declare -a grps nrps gp99 np99
for round in 1 2; do
	read -r r a b <<<"$(run "http://127.0.0.1:$gp$path")"
	printf '%-8s %12s %10s %10s\n' "A$round" "$r" "$(ms "$a")" "$(ms "$b")"
	grps+=("$r"); gp99+=("$(ms "$b")")
	read -r r a b <<<"$(run "http://127.0.0.1:$np$path")"
	printf '%-8s %12s %10s %10s\n' "B$round" "$r" "$(ms "$a")" "$(ms "$b")"
	nrps+=("$r"); np99+=("$(ms "$b")")
done
awk -v a="${grps[*]}" -v b="${nrps[*]}" -v c="${gp99[*]}" -v d="${np99[*]}" 'BEGIN {
	split(a, x); split(b, y); split(c, p); split(d, q)
	printf "ratio gateway/nginx req/s: %.2f (aim >= 0.80); p99 ratio: %.2f (aim <= 1.5)\n",
		(x[1] + x[2]) / (y[1] + y[2]), (p[1] + p[2]) / (q[1] + q[2]) }'

# Without the memory tier every request is a Redis GET.
up=$(port)
start_gateway "$up" CACHE_MEMORY_BYTES=0
read -r r a b <<<"$(run "http://127.0.0.1:$up$path")"
echo "uncached (Redis per request): $r req/s, p50 $(ms "$a") ms, p99 $(ms "$b") ms"

# RSS with 1,000 idle keep-alive connections.
gpid=${pids[0]}
rss0=$(awk '/VmRSS/ {print $2}' "/proc/$gpid/status")
python3 - "$gp" "$path" <<'PY' &
import socket, sys, time
conns = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(f"GET {sys.argv[2]} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    conns.append(s)
for s in conns:
    s.recv(65536)
time.sleep(4)
PY
hold=$!
sleep 3
rss1=$(awk '/VmRSS/ {print $2}' "/proc/$gpid/status")
wait $hold || true
echo "RSS: $((rss0 / 1024)) MB idle, $((rss1 / 1024)) MB with 1000 idle keep-alive connections"
