#!/usr/bin/env python3
"""Count TAP cases across Meson test logs and print the closing line.

Each argument is a Meson testlog.json (one JSON object per line).  A TAP
test contributes one count per `ok`/`not ok` line in its output; a test
that printed no TAP lines counts once by its own result.  A TAP binary
that crashed or timed out before its plan was done is one extra failure.
Exit status 1 if anything failed or a log is missing.
"""
import json
import re
import sys

passed = failed = skipped = 0
missing = False
case = re.compile(r'^(not ok|ok)\b')
skip = re.compile(r'#\s*SKIP\b', re.I)

for path in sys.argv[1:]:
    try:
        lines = open(path, encoding='utf-8').read().splitlines()
    except OSError:
        print(f'tap-summary: no test log {path}', file=sys.stderr)
        missing = True
        continue
    for line in lines:
        t = json.loads(line)
        out = t.get('stdout') or ''
        seen = 0
        for l in out.splitlines():
            m = case.match(l)
            if not m:
                continue
            seen += 1
            if m.group(1).lower() == 'not ok':
                failed += 1
            elif skip.search(l):
                skipped += 1
            else:
                passed += 1
        if t.get('result') in ('FAIL', 'TIMEOUT', 'ERROR', 'UNEXPECTEDPASS'):
            if seen == 0 or 'not ok' not in out:
                failed += 1
        elif seen == 0:
            if t.get('result') == 'SKIP':
                skipped += 1
            else:
                passed += 1

line = f'tests: {passed} passed, {failed} failed'
if skipped:
    line += f', {skipped} skipped'
print(line)
sys.exit(1 if failed or missing else 0)
