#!/usr/bin/env python3
"""demo_start.py - how long `tidings demo` takes from start to its URL line.

usage: bench/demo_start.py [TIDINGS] [RUNS]   (defaults: build/tidings, 5)

Each run starts the real binary with a fresh temporary database and a free
port, times the moment its "tidings demo: serving http://..." line appears
(the fixture started, the corpus published, six feeds added, one crawl
with every page fetched and extracted, the site listening), then stops it
with SIGTERM and checks the exit status.  Prints every run and the median.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def one(tidings):
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.monotonic()
        p = subprocess.Popen([tidings, "demo", "--listen", "127.0.0.1:0", "--db",
                              os.path.join(tmp, "demo.db")],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        summary = ""
        for line in p.stdout:
            if re.match(r"tidings demo: serving http://", line):
                break
            summary = line.strip()
        elapsed = time.monotonic() - t0
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=30)
        if rc != 0:
            sys.exit("tidings demo exited with %d" % rc)
        return elapsed, summary


def main():
    tidings = sys.argv[1] if len(sys.argv) > 1 else "build/tidings"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    times = []
    for i in range(runs):
        t, summary = one(tidings)
        times.append(t)
        print("run %d: %.2f s to the URL line (%s)" % (i + 1, t, summary))
    print("start to URL: median %.2f s, min %.2f s, max %.2f s over %d runs"
          % (statistics.median(times), min(times), max(times), runs))


if __name__ == "__main__":
    main()
