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
expect 2 "users without a subcommand" "$exe" users
expect 2 "users add without LOGIN" "$exe" users add --admin
expect 2 "users token with two logins" "$exe" users token a b
expect 4 "users add with PostgreSQL down" env DATABASE_URL="$down" DB_CONNECT_TIMEOUT_S=2 "$exe" users add alice
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
# Output to a full disk is a failure, not a success.
export ISSUESIGHT_CACHE_DIR="$tmp/cache"
full() { # description, command...
	local what=$1
	shift
	"$@" >/dev/full 2>"$tmp/err" </dev/null
	local got=$?
	if [ "$got" != 1 ]; then
		echo "FAIL: $what >/dev/full: exit $got, expected 1"; fail=1
	else
		echo "ok: $what >/dev/full (exit 1)"
	fi
}
full "bridge" "$exe" bridge --repo "$tmp/repo" --issue-text "$tmp/issue.txt"
full "locate" "$exe" locate --repo "$tmp/repo" --issue-text "$tmp/issue.txt"
full "index" "$exe" index "$tmp/repo"
full "config" "$exe" config
full "concepts" "$exe" concepts
full "concepts --match" "$exe" concepts --match "$tmp/issue.txt"
# concepts --match reads the issue as bridge does: the issue's body (not a
# comment's), its labels; broken JSON is an error.
cat >"$tmp/issue.json" <<'JSON'
{"title": "Flaky test", "body": "The retry loop in the redis stream consumer drops messages",
 "labels": [{"name": "good first issue"}],
 "comments": [{"body": "I think this is about kubernetes operators"}]}
JSON
expect 0 "concepts --match JSON" "$exe" concepts --match "$tmp/issue.json"
grep -q '"concepts"' "$tmp/out" || { echo "FAIL: no concepts"; fail=1; }
grep -q 'kubernetes' "$tmp/out" && { echo "FAIL: matched a comment's body"; fail=1; }
printf '{"title": "x", "body": ' >"$tmp/broken.json"
expect 1 "concepts --match broken JSON" "$exe" concepts --match "$tmp/broken.json"
expect 1 "locate --issue-json broken JSON" "$exe" locate --repo "$tmp/repo" --issue-json "$tmp/broken.json"
expect 0 "locate --issue-json" "$exe" locate --repo "$tmp/repo" --issue-json "$tmp/issue.json" --json
# Error messages name the real problem.
python3 -c "print('{\"title\":' + '['*2000 + ']'*2000 + '}')" >"$tmp/deep.json"
expect 1 "deeply nested JSON" "$exe" concepts --match "$tmp/deep.json"
grep -q "nested deeper than 1000 levels" "$tmp/err" || { echo "FAIL: depth limit not named"; fail=1; }
printf '{"title": 5, "body": "x"}' >"$tmp/type.json"
expect 1 "a field of the wrong type" "$exe" bridge --repo "$tmp/repo" --issue-json "$tmp/type.json"
grep -q "field 'title' is of type number" "$tmp/err" || { echo "FAIL: wrong type not named"; fail=1; }
# bridge: --force and --cache-dir as index has; the concepts file is used.
expect 0 "bridge --force --cache-dir" "$exe" bridge --repo "$tmp/repo" --issue-text "$tmp/issue.txt" --force --cache-dir "$tmp/cache2"
ls "$tmp/cache2/index/"*.sqlite >/dev/null 2>&1 || { echo "FAIL: --cache-dir not used"; fail=1; }
expect 3 "bridge with a missing ISSUESIGHT_CONCEPTS_FILE" env ISSUESIGHT_CONCEPTS_FILE="$tmp/nope.json" "$exe" bridge --repo "$tmp/repo" --issue-text "$tmp/issue.txt"
grep -q "nope.json" "$tmp/err" || { echo "FAIL: the concepts file is not named"; fail=1; }
# A directory where a file is expected and a file where a directory is.
expect 2 "a directory as the issue file" "$exe" locate --repo "$tmp/repo" --issue-text "$tmp/repo"
grep -q "is a directory" "$tmp/err" || { echo "FAIL: directory not named"; fail=1; }
expect 2 "a file as the repository" "$exe" index "$tmp/issue.txt"
grep -q "not a repository directory" "$tmp/err" || { echo "FAIL: file-as-directory not named"; fail=1; }
# Exit codes: a malformed REDIS_URL is a configuration error (3).
expect 3 "sync with a malformed REDIS_URL" env REDIS_URL="redis://h:notaport/0" DATABASE_URL="$down" "$exe" sync a/b --labels ""
# issuesight cache
expect 0 "cache show" "$exe" cache
grep -q "indexes" "$tmp/out" || { echo "FAIL: cache show"; fail=1; }
expect 0 "cache clean" "$exe" cache clean
expect 2 "cache frob" "$exe" cache frob
# A planted secret in a URL never reaches an error message, whatever the
# command (the clone fails: nothing listens on port 1).
for cmd in "index URL" "locate --repo URL --issue-text $tmp/issue.txt" \
	"bridge --repo URL --issue-text $tmp/issue.txt"; do
	for url in "https://alice:hunter2planted@127.0.0.1:1/o/r.git" \
		"https://ghp_plantedtoken0123456789@127.0.0.1:1/o/r.git"; do
		# shellcheck disable=SC2086
		"$exe" ${cmd/URL/$url} >"$tmp/out" 2>&1 </dev/null
		if grep -qE "hunter2planted|plantedtoken0123456789" "$tmp/out"; then
			echo "FAIL: '$cmd' printed the secret:"; sed 's/^/  | /' "$tmp/out"; fail=1
		fi
	done
done
for key in DATABASE_URL REDIS_URL GITHUB_API_URL; do
	env "$key=postgres//u:hunter2planted@db/x" "$exe" config >"$tmp/out" 2>&1
	if grep -q hunter2planted "$tmp/out"; then
		echo "FAIL: a malformed $key was printed with its password"; fail=1
	fi
done
echo "ok: planted secrets stayed hidden"
# Secrets never reach the output.
env -i PATH="$PATH" HOME="$tmp" GITHUB_TOKEN=ghp_neverprintthis1234 \
	DATABASE_URL="postgresql://u:hunter22@db/x" "$exe" config >"$tmp/out" 2>&1
if grep -qE "neverprintthis|hunter22" "$tmp/out"; then
	echo "FAIL: config printed a secret"; fail=1
else
	echo "ok: secrets masked in config"
fi
exit $fail
