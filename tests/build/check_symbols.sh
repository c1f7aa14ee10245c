#!/usr/bin/env bash
# The shared library exports exactly the isg_* functions the public headers
# declare with ISG_API: nothing internal (isg__*), nothing unprefixed; and
# every symbol of a released ABI list (symbols-0.1.txt: old names kept under
# ISG_DEPRECATED included) is still exported.
set -euo pipefail
lib=$1
hdrdir=$2
shift 2
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' |
	grep -v -E '^(_init|_fini|_edata|_end|__bss_start)$' | sort -u)
declared=$(cat "$hdrdir"/*.h | tr '\n' ' ' | grep -oE 'ISG_API[^;{]*\(' |
	grep -oE 'isg_[a-z0-9_]+[[:space:]]*\($' | tr -d ' (' | sort -u)
status=0
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
if [ -n "$extra" ]; then
	echo "exported but not declared public:"; echo "$extra"; status=1
fi
if [ -n "$missing" ]; then
	echo "declared public but not exported:"; echo "$missing"; status=1
fi
for abi in "$@"; do
	gone=$(comm -13 <(echo "$exported") <(grep -v '^#' "$abi" | sort -u))
	if [ -n "$gone" ]; then
		echo "exported by $(basename "$abi") but no longer:"; echo "$gone"
		status=1
	fi
done
if echo "$exported" | grep -qE '^isg__'; then
	echo "internal isg__ symbols are exported"; status=1
fi
echo "$(echo "$exported" | wc -l) exported symbols checked"
exit $status
