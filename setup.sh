#!/usr/bin/env bash
# setup.sh - install everything tidings needs on Debian 12 and build it.
#
#   ./setup.sh           install packages (when missing), configure, build ./build
#   ./setup.sh --deps    install packages only
#
# Every package the build, the tests and the benchmarks use is listed here;
# nothing is downloaded at build or run time.  The browser test's one npm
# package (playwright-core, pinned in tests/browser/package-lock.json) is
# installed with `npm ci`; it drives Debian's Chromium and never downloads
# a browser of its own.
set -euo pipefail
cd "$(dirname "$0")"

packages=(
    # toolchain and build
    gcc clang make meson ninja-build pkg-config python3
    # libraries (DESIGN.md section 4)
    libmodest-dev libcurl4-openssl-dev libsqlite3-dev libjansson-dev libxml2-dev
    libuchardet-dev libutf8proc-dev libstemmer-dev libsodium-dev libmicrohttpd-dev
    libespeak-ng-dev libopusenc-dev zlib1g-dev libpq-dev
    # the store's PostgreSQL tests: tools/test.sh runs a throwaway server
    postgresql
    # browser tests (tests/browser): Debian's Chromium, driven by playwright-core
    chromium chromium-driver
    # bench/serve.sh: load generator and the static-file baseline (run as our
    # own process from a temporary config; the system service is not used)
    nginx wrk curl
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

# Node.js and npm for the browser test.  A machine may have Node.js from
# elsewhere, with npm inside: keep it, and never install Debian's npm over
# it.  Debian's nodejs comes without npm, so npm follows it only then.
for tool in node npm; do
    command -v $tool >/dev/null && continue
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    pkg=$([ $tool = node ] && echo nodejs || echo npm)
    echo "setup: installing $pkg"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$pkg"
done

# The npm packages, exactly as locked; skipped when already in place.
want=$(sed -n 's/.*"playwright-core": "\(.*\)".*/\1/p' tests/browser/package.json)
have=$(node -p 'require("./tests/browser/node_modules/playwright-core/package.json").version' \
    2>/dev/null || true)
if [ "$have" != "$want" ]; then
    echo "setup: npm ci in tests/browser (playwright-core $want)"
    (cd tests/browser && npm ci --no-audit --no-fund)
fi

[ "${1:-}" = "--deps" ] && exit 0

[ -d build ] || meson setup build
ninja -C build
