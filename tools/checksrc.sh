#!/usr/bin/env bash
# tools/checksrc.sh - refuse the libc calls the project bans (DESIGN.md 5,
# after curl's checksrc): they either cannot be bounded (strcpy, strcat,
# sprintf, gets), are not reentrant (strtok) or hide errors (atoi).
# Prints TAP: one case per banned name.
set -u
cd "$(dirname "$0")/.."
banned=(strcpy strcat sprintf vsprintf strtok atoi atol gets)
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 'fuzz/*.c' 2>/dev/null)
if [ -z "$files" ]; then
    files=$(find src tests bench fuzz -name '*.[ch]' 2>/dev/null)
fi
echo "1..${#banned[@]}"
n=0
fail=0
for name in "${banned[@]}"; do
    n=$((n + 1))
    # A call is the name followed by '(' and not preceded by an identifier
    # character (so snprintf, strtok_r and td_x_atoi do not match).
    hits=$(grep -nE "(^|[^A-Za-z0-9_])${name}[[:space:]]*\(" $files 2>/dev/null)
    if [ -n "$hits" ]; then
        echo "not ok $n no $name"
        echo "$hits" | sed 's/^/# /'
        fail=1
    else
        echo "ok $n no $name"
    fi
done
exit $fail
