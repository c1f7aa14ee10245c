#!/usr/bin/env bash
# What scripts/demo shows, checked: the built `issuesight bridge` on the
# bundled sample issue and repository prints a real bridge (Markdown and
# JSON), the same bytes twice, and clear errors with the documented exit
# codes for a missing file, a bad JSON file and a missing repository.
set -euo pipefail
exe=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ISSUESIGHT_CACHE_DIR="$tmp/cache"
repo="$src/examples/sample/repo"
issue="$src/examples/sample/issue.json"
fail() { echo "check_demo: $*" >&2; exit 1; }

"$exe" bridge --repo "$repo" --issue-json "$issue" >"$tmp/a.md" ||
	fail "bridge exited with $?"
for want in '# Context Bridge: TimeSeries: misleading exception' \
	'example/tinyseries#42' '## Verdict' '## Prerequisites' \
	'## Architecture' '## Guide' '**Open first:** `tinyseries/core.py`' \
	'1. `tinyseries/core.py`' 'class TimeSeries' 'tests/test_core.py' \
	'ts.remove_column("flux")' '`make test`' 'CONTRIBUTING.md' \
	'Fixes #42' 'Junior-friendly:'; do
	grep -qF -- "$want" "$tmp/a.md" || fail "Markdown lacks: $want"
done
# The change names the methods the issue names, not `TimeSeries.columns`,
# which the issue only matches through the plain word "columns".
change=$(sed -n '/^### 4. Make the change/,/^### 5/p' "$tmp/a.md")
grep -qF 'TimeSeries.remove_column' <<<"$change" || fail "change step lacks remove_column"
! grep -qF 'TimeSeries.columns' <<<"$change" || fail "change step names TimeSeries.columns"
# Prerequisites come from the issue and the repository, not from a generic
# word ("timeseries" once pulled in Astropy).
! grep -qF '(`astropy`)' "$tmp/a.md" || fail "Astropy is not a prerequisite here"
"$exe" bridge --repo "$repo" --issue-json "$issue" >"$tmp/b.md"
cmp -s "$tmp/a.md" "$tmp/b.md" || fail "Markdown differs between runs"

"$exe" bridge --repo "$repo" --issue-json "$issue" --format json --top 3 \
	>"$tmp/a.json" || fail "bridge --format json exited with $?"
python3 - "$tmp/a.json" <<'PY' || fail "JSON output check failed"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema_version"] == "1.0"
assert set(d) == {"schema_version", "issue", "verdict", "prerequisites",
                  "architecture", "guide", "engine"}, sorted(d)
assert d["issue"]["number"] == 42 and d["issue"]["repo"] == "example/tinyseries"
assert 0 <= d["verdict"]["score"] <= 1
assert d["verdict"]["difficulty"] in ("beginner", "intermediate", "advanced")
assert len(d["prerequisites"]) >= 1
a = d["architecture"]
assert a["files"][0]["path"] == "tinyseries/core.py", a["files"]
assert len(a["files"]) <= 3
assert a["entry_point"] == "tinyseries/core.py"
assert any(r["kind"] == "tests" for r in a["relations"]), a["relations"]
g = d["guide"]
assert g["test_command"] and "make test" in g["test_command"]
assert len(g["steps"]) >= 6
assert d["engine"]["kind"] == "offline" and d["engine"]["model"] is None
PY

# Errors: exit codes of servers/common/srv_common.h.
set +e
"$exe" bridge --repo "$repo" --issue-json "$tmp/nope.json" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q "nope.json" "$tmp/err" || fail "missing file: rc $rc: $(cat "$tmp/err")"
printf '{"title": "x", ' >"$tmp/bad.json"
"$exe" bridge --repo "$repo" --issue-json "$tmp/bad.json" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q "ISG_EPARSE" "$tmp/err" && grep -q "bad.json" "$tmp/err" ||
	fail "bad JSON: rc $rc: $(cat "$tmp/err")"
"$exe" bridge --repo "$tmp/no-such-repo" --issue-json "$issue" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q "no-such-repo" "$tmp/err" ||
	fail "missing repository: rc $rc: $(cat "$tmp/err")"
printf ' \n\n' >"$tmp/empty.txt"
"$exe" bridge --repo "$repo" --issue-text "$tmp/empty.txt" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q "empty" "$tmp/err" || fail "empty issue: rc $rc: $(cat "$tmp/err")"
"$exe" bridge --repo "$repo" 2>"$tmp/err"
[ $? = 2 ] || fail "usage error must exit 2"
"$exe" bridge --repo "$repo" --issue-json "$issue" --format html 2>"$tmp/err"
[ $? = 2 ] && grep -q "html" "$tmp/err" || fail "bad --format must exit 2"
"$exe" bridge --repo "$repo" --issue-json "$issue" --top 0 2>"$tmp/err"
[ $? = 2 ] || fail "bad --top must exit 2"
set -e
echo "demo output checked"
