#!/usr/bin/env bash
# tools/test.sh - build and run the whole test suite twice: a normal build
# (./build) and an ASan+UBSan build (./build-asan).  Ends with one line
# `tests: N passed, N failed[, N skipped]` counted over every TAP case of
# both runs, and exits non-zero on any failure.
#
# Under CI=true both builds use -Werror.
#
# The store's *-pg tests need a PostgreSQL server where they may create
# databases: when PostgreSQL is installed (setup.sh --deps installs it) and
# TD_TEST_PG is not set already, this starts a throwaway one for the whole
# run (a new cluster in a temporary directory, on a unix socket there only,
# as the postgres user when run as root) and removes it at exit.  Without
# PostgreSQL those tests skip with a message.
set -uo pipefail
cd "$(dirname "$0")/.."

werror=false
[ "${CI:-}" = "true" ] && werror=true
status=0

pg_dir=""
pg_as=()
pg_bin=""

pg_stop() {
    [ -n "$pg_dir" ] || return 0
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$pg_dir"
    pg_dir=""
}

pg_start() {
    [ -z "${TD_TEST_PG:-}" ] || return 0
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
        echo "test.sh: no PostgreSQL server installed: the store's *-pg tests will skip"
        return 0
    fi
    # PostgreSQL refuses to run as root: then it runs as the postgres user
    # (the Debian package's), in a directory that user can reach, with a
    # short path (a unix socket's path has at most 107 bytes).
    if [ "$(id -u)" -eq 0 ]; then
        if ! id -u postgres >/dev/null 2>&1; then
            echo "test.sh: running as root and no postgres user: the store's *-pg tests will skip"
            return 0
        fi
        pg_as=(runuser -u postgres --)
    fi
    pg_dir=$(mktemp -d /tmp/td-pg-XXXXXX) || return 1
    trap pg_stop EXIT
    [ ${#pg_as[@]} -eq 0 ] || chown postgres "$pg_dir" || return 1
    if ! "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U tidings -A trust -E UTF8 \
        --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1; then
        echo "test.sh: initdb failed:"
        cat "$pg_dir/initdb.log"
        return 1
    fi
    # Unix socket only; fsync off: a throwaway server, and the tests kill
    # clients, not the server.
    if ! "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
        -o "-k $pg_dir -c listen_addresses= -c fsync=off -c full_page_writes=off" \
        start >/dev/null; then
        echo "test.sh: the PostgreSQL server did not start:"
        cat "$pg_dir/server.log"
        return 1
    fi
    export TD_TEST_PG="postgresql:///postgres?host=$pg_dir&user=tidings"
    echo "test.sh: PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') for the *-pg tests at $pg_dir"
}

pg_start || status=1

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
