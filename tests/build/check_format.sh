#!/usr/bin/env bash
# Every C source and header of the project is clang-format clean.
set -euo pipefail
root=$1
cf=${2:-clang-format}
cd "$root"
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
bad=0
for f in $files; do
	[ -f "$f" ] || continue
	if ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not clang-format clean: $f"; bad=1
	fi
done
exit $bad
