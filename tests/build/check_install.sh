#!/usr/bin/env bash
# Install into a temporary root, then build every program in examples/
# against the installed library with pkg-config, and run each.
set -euo pipefail
build=$1
src=$2
sanitize=${3:-none}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DESTDIR="$tmp/root" meson install -C "$build" --no-rebuild --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys;print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
pcdir=$(dirname "$(find "$tmp/root" -name issuesight.pc | head -n 1)")
[ -d "$pcdir" ] || { echo "issuesight.pc was not installed"; exit 1; }
export PKG_CONFIG_PATH="$pcdir"
pc() { pkg-config --define-variable=prefix="$tmp/root$prefix" "$@" issuesight; }
[ "$(pc --modversion)" = "$(meson introspect "$build" --projectinfo |
	python3 -c 'import json,sys;print(json.load(sys.stdin)["version"])')" ]
pc --print-requires-private | grep -q hiredis
extra=()
if [ "$sanitize" != none ] && [ -n "$sanitize" ]; then
	extra=("-fsanitize=$sanitize")
fi
libdir=$(pc --variable=libdir)
ls "$libdir"/libissuesight.so.0 >/dev/null
ls "$libdir"/libissuesight.a >/dev/null
n=0
for ex in "$src"/examples/*.c; do
	name=$(basename "$ex" .c)
	cc -std=c99 -Wall -Wextra -Werror "${extra[@]}" "$ex" -o "$tmp/$name" \
		$(pc --cflags --libs)
	echo "== $name"
	LD_LIBRARY_PATH="$libdir" ISG_EXAMPLE_TMPDIR="$tmp" "$tmp/$name"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "no examples found"; exit 1; }
echo "built and ran $n examples against the installed library"
