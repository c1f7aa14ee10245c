#!/usr/bin/env bash
# The `issuesight` command's exit codes mean what --help says: 0 success,
# 1 failure, 2 usage error, 3 configuration error, 4 a backend unreachable.
set -uo pipefail
exe=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# A PostgreSQL URL nobody listens on (port 1 is never a database here).
down="postgresql://postgres@127.0.0.1:1/none"
expect() { # code, description, command...
	local want=$1 what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit $got, expected $want"
		sed 's/^/  | /' "$tmp/err" | head -5
		fail=1
	else
		echo "ok: $what (exit $got)"
	fi
}
expect 0 "--help" "$exe" --help
expect 0 "--version" "$exe" --version
expect 2 "no command" "$exe"
expect 2 "unknown command" "$exe" frobnicate
expect 2 "unknown global option" "$exe" --frob config
expect 0 "config" env -i PATH="$PATH" HOME="$tmp" "$exe" config
expect 3 "malformed setting" env -i PATH="$PATH" DB_POOL_SIZE=many "$exe" config
grep -q "DB_POOL_SIZE='many'" "$tmp/err" || { echo "FAIL: the error names the key"; fail=1; }
printf 'NOT_A_KEY=1\n' >"$tmp/bad.conf"
expect 3 "unknown key in file" "$exe" --config "$tmp/bad.conf" config
expect 2 "sync without OWNER/REPO" "$exe" sync
expect 2 "sync with a malformed repo" "$exe" sync not-a-repo
expect 4 "migrate with PostgreSQL down" env DATABASE_URL="$down" DB_CONNECT_TIMEOUT_S=2 "$exe" migrate
expect 4 "track with PostgreSQL down" env DATABASE_URL="$down" DB_CONNECT_TIMEOUT_S=2 "$exe" track a/b
expect 2 "locate without --repo" "$exe" locate
# Options come from one table per command: --opt value and --opt=value,
# numbers range-checked (a negative size is a usage error, not 2^64),
# `help` and `help COMMAND`, generated --help.
expect 0 "help" "$exe" help
grep -q "^  bridge " "$tmp/out" || { echo "FAIL: help lists no commands"; fail=1; }
expect 0 "help bridge" "$exe" help bridge
grep -q -- "--issue-json FILE" "$tmp/out" || { echo "FAIL: help bridge lacks --issue-json"; fail=1; }
expect 2 "help of an unknown command" "$exe" help frobnicate
expect 0 "bridge --help with a broken configuration" env DB_POOL_SIZE=many "$exe" bridge --help
expect 0 "locate --help" "$exe" locate --help
grep -q -- "--issue-json FILE" "$tmp/out" || { echo "FAIL: locate --help lacks --issue-json"; fail=1; }
expect 2 "--max-file-size -1" "$exe" index --max-file-size -1 "$tmp"
grep -q "'-1' is not a whole number" "$tmp/err" || { echo "FAIL: -1 not named"; fail=1; }
expect 2 "--max-file-size=-1" "$exe" index --max-file-size=-1 "$tmp"
expect 2 "--max-file-size 99999999999999999999" "$exe" index --max-file-size 99999999999999999999 "$tmp"
expect 2 "--max-file-size 12abc" "$exe" index --max-file-size 12abc "$tmp"
expect 2 "--top=0" "$exe" bridge --repo "$tmp" --issue-text - --top=0
expect 2 "--top -3" "$exe" locate --repo "$tmp" --issue-text - --top -3
expect 2 "--format=xml" "$exe" bridge --repo "$tmp" --issue-text - --format=xml
expect 2 "flag with a value" "$exe" bridge --compact=yes --repo "$tmp" --issue-text -
expect 2 "missing value" "$exe" bridge --repo
grep -q "missing value after '--repo'" "$tmp/err" || { echo "FAIL: missing value not named"; fail=1; }
expect 2 "unknown option" "$exe" locate --frob
expect 2 "two positionals" "$exe" index a b
expect 2 "index without DIR" "$exe" index
printf 'fix the widget\nit breaks\n' >"$tmp/issue.txt"
mkdir -p "$tmp/repo" && printf 'int widget(void) { return 0; }\n' >"$tmp/repo/widget.c"
expect 0 "--opt=value form" env ISSUESIGHT_CACHE_DIR="$tmp/cache" "$exe" locate --repo="$tmp/repo" --issue-text="$tmp/issue.txt" --top=1 --json
grep -q '"widget.c"' "$tmp/out" || { echo "FAIL: --opt=value locate found nothing"; fail=1; }
# Secrets never reach the output.
env -i PATH="$PATH" HOME="$tmp" GITHUB_TOKEN=ghp_neverprintthis1234 \
	DATABASE_URL="postgresql://u:hunter22@db/x" "$exe" config >"$tmp/out" 2>&1
if grep -qE "neverprintthis|hunter22" "$tmp/out"; then
	echo "FAIL: config printed a secret"; fail=1
else
	echo "ok: secrets masked in config"
fi
exit $fail
