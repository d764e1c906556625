#!/usr/bin/env bash
# setup.sh - install everything tidings needs on Debian 12 and build it.
#
#   ./setup.sh           install packages (when missing), configure, build ./build
#   ./setup.sh --deps    install packages only
#
# Every package the build, the tests and the benchmarks use is listed here;
# nothing is downloaded at build or run time.
set -euo pipefail
cd "$(dirname "$0")"

packages=(
    # toolchain and build
    gcc clang make meson ninja-build pkg-config python3
    # libraries (DESIGN.md section 4)
    libmodest-dev libcurl4-openssl-dev libsqlite3-dev libjansson-dev libxml2-dev
    libuchardet-dev libutf8proc-dev libstemmer-dev libsodium-dev libmicrohttpd-dev
    libespeak-ng-dev libopusenc-dev zlib1g-dev
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = "--deps" ] && exit 0

[ -d build ] || meson setup build
ninja -C build
