#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fails when a function in libissuesight/ or servers/ is longer than MAX
# lines (default 80) from its opening to its closing brace. The sources are
# clang-format'ed (tests/build/check_format.sh), so a function body is the
# lines between a '{' and a '}' alone in the first column.
#
# A function that is a table or a flat switch and reads best as one piece
# may be listed in ALLOW (default: function-length-allow.txt beside this
# script) as `path function`; its opening comment says why. A listed
# function that no longer exceeds the limit, or no longer exists, fails the
# check too, so the list stays short and true.
#
# Usage: check_function_length.sh SOURCE_ROOT [MAX [ALLOW]]
set -euo pipefail

root=${1:?usage: check_function_length.sh SOURCE_ROOT [MAX [ALLOW]]}
max=${2:-80}
allow=${3:-$(dirname "$0")/function-length-allow.txt}
status=0
long=$(mktemp)
trap 'rm -f "$long"' EXIT
while IFS= read -r -d '' f; do
	awk -v max="$max" -v file="${f#"$root"/}" '
		/^\{$/ { start = NR; name = prev; next }
		/^\}/ && start {
			n = NR - start - 1
			if (n > max) {
				id = name
				sub(/\(.*/, "", id)
				sub(/.*[ *]/, "", id)
				printf "%s %s %d %d %s\n", file, id, start, n, name
			}
			start = 0
		}
		!/^[ \t]/ && !/^$/ && !start { prev = $0 }
	' "$f" >>"$long"
done < <(find "$root/libissuesight" "$root/servers" -name '*.c' -print0 | sort -z)

allowed() { grep -qx "$1 $2" <(sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$allow"); }
while read -r file id start n name; do
	allowed "$file" "$id" && continue
	printf '%s:%s: %s is %s lines (limit %s)\n' "$file" "$start" "$name" \
		"$n" "$max"
	status=1
done <"$long"
while read -r file id; do
	if ! grep -q "^$file $id " "$long"; then
		printf '%s: %s is allowed to be long in %s but is not over %s lines (or is gone): remove it from the list\n' \
			"$file" "$id" "$allow" "$max"
		status=1
	fi
done < <(sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$allow")
exit $status
