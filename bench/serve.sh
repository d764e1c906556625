#!/usr/bin/env bash
# bench/serve.sh - requests per second and latency of `tidings serve` on the
# article page and the home page, next to nginx serving the very same bytes
# as static files in the same run, plus tidings' peak RSS.
#
#   bench/serve.sh [DB] [RUNS] [SECONDS]
#
# DB: a database to serve (default: a new 100,000-article one made by
# build/bench/serve_seed in a temporary directory; TD_BENCH_KEEP=1 keeps it).
# RUNS (default 3) rounds of five wrk runs, SECONDS (default 10) each:
# tidings' article page, nginx's copy of it, tidings' home page, nginx's
# copy, and tidings on up to 10,000 different article pages in turn
# ("articles"), more than the response cache holds, so nearly every request
# is rendered: the cost of a page when the cache has just been dropped (the
# crawler wrote).
# Prints one line per run and page, then the median and best of the runs.
#
# wrk, tidings and nginx share the machine's cores, so absolute figures move
# with the load: the ratio to nginx within the same run is what to compare.
# Both servers get 2 workers (tidings --threads 2, nginx worker_processes 2),
# both log every request to a file, and nginx adds the same security headers.
# Needs nginx, wrk and curl (setup.sh --deps); nginx runs as our own process
# from a config in the temporary directory, never as the system service.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD:-build}
db=${1:-}
runs=${2:-3}
secs=${3:-10}
conns=${TD_BENCH_CONNS:-32}
tport=${TD_BENCH_PORT:-18480}
nport=$((tport + 1))

for tool in nginx wrk curl; do
    command -v "$tool" >/dev/null || { echo "serve.sh: $tool is missing (./setup.sh --deps)" >&2; exit 2; }
done
[ -x "$build/tidings" ] && [ -x "$build/bench/serve_seed" ] || { echo "serve.sh: build first (ninja -C $build)" >&2; exit 2; }

tmp=$(mktemp -d /tmp/td-bench-serve-XXXXXX)
tpid="" npid=""
cleanup() {
    [ -n "$tpid" ] && kill "$tpid" 2>/dev/null && wait "$tpid" 2>/dev/null
    [ -n "$npid" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
    if [ -n "${TD_BENCH_KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

if [ -z "$db" ]; then
    db=$tmp/bench.db
    "$build/bench/serve_seed" "$db" 100000 2>/dev/null
fi
echo "machine: $(nproc) cores; load before: $(uptime | sed 's/.*load average: //')"

wait_up() {
    for _ in $(seq 100); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "serve.sh: nothing answers at $1" >&2
    exit 1
}

"$build/tidings" serve --no-crawl --threads 2 --db "$db" --listen "127.0.0.1:$tport" \
    >/dev/null 2>"$tmp/tidings.log" &
tpid=$!
wait_up "http://127.0.0.1:$tport/"

mkdir -p "$tmp/www" "$tmp/nginx"
curl -fs -o "$tmp/www/home.html" "http://127.0.0.1:$tport/"
article=$(grep -o 'href="/articles/[0-9]*"' "$tmp/www/home.html" | head -1 | tr -dc '0-9')
[ -n "$article" ] || { echo "serve.sh: no article on the home page" >&2; exit 1; }
curl -fs -o "$tmp/www/article.html" "http://127.0.0.1:$tport/articles/$article"

# nginx's workers may run as another user (nobody, when started as root).
chmod 755 "$tmp" "$tmp/www"
chmod 644 "$tmp/www/"*.html
csp=$(curl -fsI "http://127.0.0.1:$tport/" | sed -n 's/^Content-Security-Policy: //Ip' | tr -d '\r')
cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log $tmp/nginx/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    keepalive_requests 1000000;
    sendfile on;
    server {
        listen 127.0.0.1:$nport;
        root $tmp/www;
        default_type "text/html; charset=utf-8";
        add_header Content-Security-Policy "$csp";
        add_header X-Content-Type-Options nosniff;
        add_header Referrer-Policy no-referrer;
        add_header X-Frame-Options DENY;
    }
}
EOF
nginx -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
npid=$!
wait_up "http://127.0.0.1:$nport/article.html"
cmp -s "$tmp/www/article.html" <(curl -fs "http://127.0.0.1:$nport/article.html") ||
    { echo "serve.sh: nginx serves different bytes" >&2; exit 1; }

echo "database: $db; article /articles/$article ($(wc -c <"$tmp/www/article.html") bytes)," \
    "home ($(wc -c <"$tmp/www/home.html") bytes)"
echo "wrk -t2 -c$conns -d${secs}s --latency, $runs run(s)"

# Up to 10,000 different article pages, newest first, in turn (for "articles").
span=$((article < 10000 ? article : 10000))
cat >"$tmp/articles.lua" <<EOF
local n = 0
request = function()
    n = n + 1
    return wrk.format("GET", "/articles/" .. ($article - n % $span))
end
EOF

# "Requests/sec" and the 50% and 99% latencies (in ms) of one wrk run.
bench() {
    wrk -t2 -c"$conns" -d"${secs}s" --latency "$@" | awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /m$/) return v * 60000
            return v * 1000
        }
        $1 == "Requests/sec:" { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        / Non-2xx or 3xx responses:/ { bad = $NF }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }'
}

# Warm the database pages and MHD's threads before measuring.
wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$tport/articles/$article" >/dev/null
wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$tport/" >/dev/null

results=$tmp/results
: >"$results"
printf '%-4s %-8s %10s %10s %10s %10s %10s %10s\n' run page tidings/s p50ms p99ms nginx/s p99ms ratio
for run in $(seq "$runs"); do
    for page in article home; do
        if [ "$page" = article ]; then
            turl="http://127.0.0.1:$tport/articles/$article" nurl="http://127.0.0.1:$nport/article.html"
        else
            turl="http://127.0.0.1:$tport/" nurl="http://127.0.0.1:$nport/home.html"
        fi
        read -r trps tp50 tp99 tbad < <(bench "$turl")
        read -r nrps np50 np99 nbad < <(bench "$nurl")
        [ "$tbad$nbad" = 00 ] || echo "serve.sh: non-2xx answers (tidings $tbad, nginx $nbad)" >&2
        ratio=$(awk -v t="$trps" -v n="$nrps" 'BEGIN { printf "%.3f", n ? t / n : 0 }')
        printf '%-4s %-8s %10s %10s %10s %10s %10s %10s\n' "$run" "$page" "$trps" "$tp50" "$tp99" \
            "$nrps" "$np99" "$ratio"
        echo "$page $trps $tp50 $tp99 $nrps $np50 $np99 $ratio" >>"$results"
    done
    read -r trps tp50 tp99 tbad < <(bench -s "$tmp/articles.lua" "http://127.0.0.1:$tport/")
    [ "$tbad" = 0 ] || echo "serve.sh: non-2xx answers (tidings $tbad)" >&2
    printf '%-4s %-8s %10s %10s %10s %10s %10s %10s\n' "$run" articles "$trps" "$tp50" "$tp99" - - -
    echo "articles $trps $tp50 $tp99 0 0 0 $trps" >>"$results"
done

echo "median and best over $runs run(s):"
for page in article home; do
    awk -v p="$page" '$1 == p' "$results" | sort -k8,8n | awk -v p="$page" '
        { r[NR] = $8; t[NR] = $2; q[NR] = $4; n[NR] = $5 }
        END {
            m = int((NR + 1) / 2)
            printf "  %-8s ratio median %s (tidings %s/s, p99 %s ms; nginx %s/s), best %s (tidings %s/s, p99 %s ms)\n",
                p, r[m], t[m], q[m], n[m], r[NR], t[NR], q[NR]
        }'
done
awk '$1 == "articles"' "$results" | sort -k2,2n | awk '
    { t[NR] = $2; q[NR] = $4 }
    END {
        m = int((NR + 1) / 2)
        printf "  articles tidings median %s/s (p99 %s ms), best %s/s (p99 %s ms), rendered every time\n",
            t[m], q[m], t[NR], q[NR]
    }'
echo "tidings peak RSS: $(awk '/^VmHWM/ { printf "%.1f MB", $2 / 1024 }' /proc/$tpid/status)" \
    "(now $(awk '/^VmRSS/ { printf "%.1f MB", $2 / 1024 }' /proc/$tpid/status))"
echo "load after: $(uptime | sed 's/.*load average: //')"
