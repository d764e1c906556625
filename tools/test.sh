#!/usr/bin/env bash
# tools/test.sh - build and run the whole test suite twice: a normal build
# (./build) and an ASan+UBSan build (./build-asan).  Ends with one line
# `tests: N passed, N failed[, N skipped]` counted over every TAP case of
# both runs, and exits non-zero on any failure.
#
# Under CI=true both builds use -Werror.
set -uo pipefail
cd "$(dirname "$0")/.."

werror=false
[ "${CI:-}" = "true" ] && werror=true
status=0

run_suite() {
    local dir=$1
    shift
    if [ ! -d "$dir" ]; then
        meson setup "$dir" -Dwerror=$werror "$@" >/dev/null || return 1
    else
        meson configure "$dir" -Dwerror=$werror >/dev/null || return 1
    fi
    ninja -C "$dir" || return 1
    meson test -C "$dir" --print-errorlogs --num-processes 2 || true
}

run_suite build || status=1
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fno-sanitize-recover=all || status=1

python3 tools/tap-summary.py build/meson-logs/testlog.json build-asan/meson-logs/testlog.json
[ $? -eq 0 ] || status=1
exit $status
