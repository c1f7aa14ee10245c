#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Fails when two source files share a name (docs/conventions.md: a file is
# named for the one thing it holds, and no two files in the tree share a
# name; check_call_cycles.py relies on it to match objects to sources).
# Looks at the C, Python, shell and SQL files of the library, servers,
# examples, tests and benchmarks; data (examples/sample, tests/data, fuzz
# corpora) and the web UI, a Node project with its own layout, are left
# out.
#
# Usage: check_file_names.sh SOURCE_ROOT
set -euo pipefail

root=${1:?usage: check_file_names.sh SOURCE_ROOT}
cd "$root"
status=0
list=$(find libissuesight servers examples tests bench include \
	-path examples/sample -prune -o -path tests/data -prune -o \
	-path tests/fuzz/corpus -prune -o -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.py' -o -name '*.sh' \
	-o -name '*.sql' \) -print | sort)
for name in $(printf '%s\n' "$list" | awk -F/ '{print $NF}' | sort | uniq -d); do
	echo "files share the name $name (rename one for what it holds):"
	printf '%s\n' "$list" | awk -F/ -v n="$name" '$NF == n { print "  " $0 }'
	status=1
done
echo "checked $(printf '%s\n' "$list" | wc -l) files"
exit $status
