#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fails when a function in libissuesight/ is longer than MAX lines (default
# 100) from its opening to its closing brace. The sources are
# clang-format'ed (tests/build/check_format.sh), so a function body is the
# lines between a '{' and a '}' alone in the first column.
#
# Usage: check_function_length.sh SOURCE_ROOT [MAX]
set -euo pipefail

root=${1:?usage: check_function_length.sh SOURCE_ROOT [MAX]}
max=${2:-100}
status=0
while IFS= read -r -d '' f; do
	awk -v max="$max" -v file="${f#"$root"/}" '
		/^\{$/ { start = NR; name = prev; next }
		/^\}/ && start {
			n = NR - start - 1
			if (n > max) {
				printf "%s:%d: %s is %d lines (limit %d)\n",
				       file, start, name, n, max
				bad = 1
			}
			start = 0
		}
		!/^[ \t]/ && !/^$/ && !start { prev = $0 }
		END { exit bad }
	' "$f" || status=1
done < <(find "$root/libissuesight" -name '*.c' -print0 | sort -z)
exit $status
