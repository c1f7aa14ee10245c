# SPDX-License-Identifier: Apache-2.0
#
# scripts/lib.sh: shared by scripts/test and scripts/demo (source it).
#
# isg_build_pkgs: the Debian packages needed to build libissuesight and its
# executables; isg_test_pkgs: the extra ones the test suite needs (services,
# cmocka, formatting, and Node.js and chromium for the web UI: Debian 12's
# nodejs is 18 without npm, the web UI needs Node.js >= 20.9 with npm, e.g.
# NodeSource's nodejs package, which satisfies this list).
# isg_install_packages PREFIX PKG... installs the missing ones with apt-get
# (a no-op when everything is there).

isg_build_pkgs=(meson ninja-build pkg-config gcc g++ git cmake libssl-dev
	libcurl4-openssl-dev libcjson-dev libhiredis-dev libpq-dev
	libmongoc-dev libbson-dev libcivetweb-dev civetweb libsqlite3-dev zlib1g-dev
	python3)
isg_test_pkgs=(libcmocka-dev postgresql redis-server clang-format iproute2
	python3-jsonschema python3-yaml
	nodejs chromium) # the web UI (web/): Node.js >= 20.9 with npm, e2e browser

isg_install_packages() {
	local prefix=$1 p sudo=""
	shift
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	printf '%s: installing: %s\n' "$prefix" "${missing[*]}" >&2
	[ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}
