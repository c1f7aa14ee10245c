#!/usr/bin/env bash
# Every C source and header of the project is clang-format clean.
# Files are checked in batches (one clang-format process per 64 files);
# a failing batch is checked file by file to name the culprits.
set -euo pipefail
root=$1
cf=${2:-clang-format}
cd "$root"
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
existing=()
for f in $files; do [ -f "$f" ] && existing+=("$f"); done
bad=0
for ((i = 0; i < ${#existing[@]}; i += 64)); do
	batch=("${existing[@]:i:64}")
	"$cf" --dry-run --Werror "${batch[@]}" >/dev/null 2>&1 && continue
	for f in "${batch[@]}"; do
		if ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
			echo "not clang-format clean: $f"; bad=1
		fi
	done
done
exit $bad
