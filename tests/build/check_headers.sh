#!/usr/bin/env bash
# Each public header compiles alone, as C99 and as C++, without warnings;
# the umbrella issuesight.h includes every public header, and
# include/issuesight/meson.build installs every one. A new header (file.h,
# llm.h, ...) that is missing from either fails here by name.
set -euo pipefail
incdir=$1
cc=${2:-cc}
cxx=$(command -v c++ || command -v g++ || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for h in "$incdir"/issuesight/*.h; do
	name=$(basename "$h")
	printf '#include <issuesight/%s>\n#include <issuesight/%s>\nint isg_header_test_%s;\n' \
		"$name" "$name" "${name%.h}" >"$tmp/t.c"
	if ! "$cc" -std=c99 -pedantic -Wall -Wextra -Werror -I"$incdir" -c "$tmp/t.c" -o "$tmp/t.o"; then
		echo "FAIL (C99): $name"; status=1
	fi
	if [ -n "$cxx" ]; then
		cp "$tmp/t.c" "$tmp/t.cpp"
		if ! "$cxx" -std=c++11 -pedantic -Wall -Wextra -Werror -I"$incdir" -c "$tmp/t.cpp" -o "$tmp/t.o"; then
			echo "FAIL (C++): $name"; status=1
		fi
	fi
done
umbrella="$incdir/issuesight/issuesight.h"
listed="$incdir/issuesight/meson.build"
for h in "$incdir"/issuesight/*.h; do
	name=$(basename "$h")
	[ "$name" = issuesight.h ] && continue
	if ! grep -qE "^#include \"$name\"\$" "$umbrella"; then
		echo "FAIL: issuesight.h does not include $name (add #include \"$name\")"
		status=1
	fi
	if [ -f "$listed" ] && ! grep -qE "^  '$name',\$" "$listed"; then
		echo "FAIL: include/issuesight/meson.build does not install $name"
		status=1
	fi
done
echo "checked $(ls "$incdir"/issuesight/*.h | wc -l) headers"
exit $status
