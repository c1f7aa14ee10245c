#!/usr/bin/env bash
# `issuesight bridge --format json` validates against docs/bridge.schema.json
# with an independent JSON Schema (draft 2020-12) validator, Debian's
# python3-jsonschema, for an issue given as JSON and one given as text; and
# the validator rejects a document the schema forbids, so the check can fail.
set -euo pipefail
exe=$1
src=$2
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ISSUESIGHT_CACHE_DIR="$tmp/cache"
repo="$src/examples/sample/repo"
"$exe" bridge --repo "$repo" --issue-json "$src/examples/sample/issue.json" \
	--format json >"$tmp/a.json"
printf 'remove_column gives a misleading error\n\nCalling TimeSeries.remove_column("flux") raises a confusing ValueError.\n' >"$tmp/issue.txt"
"$exe" bridge --repo "$repo" --issue-text "$tmp/issue.txt" --format json >"$tmp/b.json"
"$py" - "$src/docs/bridge.schema.json" "$tmp/a.json" "$tmp/b.json" <<'PY'
import copy, json, sys
from jsonschema import Draft202012Validator

schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
    assert not errors, path
    bad = copy.deepcopy(doc)
    bad["verdict"]["score"] = 1.7
    assert not v.is_valid(bad), "a score of 1.7 must not validate"
    bad = copy.deepcopy(doc)
    del bad["guide"]
    assert not v.is_valid(bad), "a bridge without a guide must not validate"
print("bridge JSON validates against docs/bridge.schema.json")
PY
