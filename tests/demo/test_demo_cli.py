#!/usr/bin/env python3
"""Integration test for `tidings demo`: run the real binary as a reader
would, wait for its URL line, read the home, an article and an outlet page
over loopback, and stop it with SIGTERM.

The assertions are what the demo is for: several outlets, articles whose
clean text is there and whose ads are not, lead photos with captions and
credits, outlet icons, and a clean exit that leaves no temporary files.

usage: test_demo_cli.py TIDINGS   (prints TAP)
"""
import glob
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from pytap import TESTS, check, run_tests, test  # noqa: E402
import child  # noqa: E402

TIDINGS = sys.argv[1]


def free_port():
    """A port free now, below the kernel's ephemeral range: the demo's own
    fixture server and every other test bind port 0, so none of them can
    be handed this port between our check and the demo's bind."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low = int(f.read().split()[0])
    rng = random.Random(os.getpid())
    for _ in range(100):
        port = rng.randrange(max(1024, low - 8192), low)
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    raise RuntimeError("no free port below %d" % low)


class Demo:
    def __init__(self, tmp, *args, env=None):
        self.log_path = os.path.join(tmp, "demo.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([TIDINGS, "demo", *args], stdout=subprocess.PIPE,
                                     stderr=self.log, text=True, env=env)
        self.lines = []
        self.port = None
        # The first line sums up the crawl; the URL line follows.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
            m = re.match(r"tidings demo: serving http://127\.0\.0\.1:(\d+)/$", line)
            if m:
                self.port = int(m.group(1))
                break

    def get(self, path):
        return child.get(self.port, path)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.log.close()
        with open(self.log_path) as f:
            return rc, f.read()


@test
def demo_serves_the_corpus():
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        db = os.path.join(tmp, "demo.db")
        d = Demo(tmp, "--listen", "127.0.0.1:%d" % port, "--db", db)
        try:
            check(d.port == port, "no URL line on port %d: %r" % (port, d.lines))
            check(re.match(r"tidings demo: 6 outlets, 3\d articles crawled in [\d.]+ s "
                           r"\(0 feeds failed, 0 pages failed\)", d.lines[0]),
                  "crawl summary: %r" % d.lines[0])

            status, home = d.get("/")
            check(status == 200, "home: %d" % status)
            outlets = set(re.findall(r'class="outlet" href="/outlets/(\d+)"', home))
            check(len(outlets) > 1, "home shows one outlet or none: %r" % outlets)

            # The bridge story is told by three outlets: take the Courier's, by its title,
            # from /latest (home may fold a story's articles into one).
            status, latest = d.get("/latest")
            check(status == 200, "latest: %d" % status)
            m = re.search(r'<a href="/articles/(\d+)">Storm Ilsa shuts Aldren Harbour Bridge',
                          latest)
            check(m, "the bridge story is not in /latest")
            status, art = d.get("/articles/" + m.group(1))
            check(status == 200, "article: %d" % status)
            check("engineers had inspected its suspension cables" in art, "clean text missing")
            check("The Meridian Courier" in art, "outlet name missing")
            for junk in ("Sponsored Links", "You May Like", "Morning Brief", "Accept all",
                         "Most Read", "Clickwell"):
                check(junk not in art, "boilerplate %r leaked into the article" % junk)
            check(re.search(r"<figcaption>Waves break against the piers[^<]*"
                            r'<span class="credit">Tomas Reyd / Meridian Courier</span>', art),
                  "caption and credit missing")
            check(re.search(r'<img src="[^"]+" alt="Grey waves breaking over the stone piers of '
                            r'a suspension bridge under a dark sky"', art),
                  "the page's alt text is not the lead image's")
            icon = re.search(r'<a class="outlet" href="/outlets/(\d+)">\s*<img class="icon" '
                             r'src="(http://127\.0\.0\.1:\d+/meridian/icon\.svg)" alt=""', art)
            check(icon, "outlet icon missing from the byline")
            check(re.search(r'<time datetime="[^"]+"[^>]*>3 hours ago</time>', art),
                  "relative time is not '3 hours ago'")

            status, outlet = d.get("/outlets/" + icon.group(1))
            check(status == 200, "outlet page: %d" % status)
            check(re.search(r'<h1><img class="icon" src="[^"]+/meridian/icon\.svg"', outlet),
                  "outlet page heading has no icon")
            check(outlet.count('href="/articles/') >= 5, "outlet page lists too few articles")

            # The icons come from the three places the crawler looks.
            status, page = d.get("/outlets")
            check(status == 200, "outlets: %d" % status)
            for path in ("/signal/icon.svg", "/observer/icon.svg", "/favicon.ico"):
                check('src="http://127.0.0.1:' in page and path + '"' in page,
                      "icon %s not used" % path)

            # The images live on the in-process fixture, which keeps serving.
            img = re.search(r'src="http://127\.0\.0\.1:(\d+)(/meridian/img/[^"]+\.svg)"', art)
            check(img, "lead image not from the fixture")
            c = http.client.HTTPConnection("127.0.0.1", int(img.group(1)), timeout=20)
            c.request("GET", img.group(2))
            r = c.getresponse()
            check(r.status == 200 and r.getheader("Content-Type") == "image/svg+xml" and
                  r.read().startswith(b"<svg"), "lead image not served")
            c.close()
        finally:
            rc, log = d.stop()
        check(rc == 0, "exit status %d; log:\n%s" % (rc, log[-2000:]))
        check("stopping signal=TERM" in log and "stopped" in log, "no graceful stop in log")
        check(os.path.exists(db), "--db file was not kept")


@test
def demo_temporary_database_is_removed():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TMPDIR=tmp)
        d = Demo(tmp, "--listen", "127.0.0.1:0", env=env)
        try:
            check(d.port, "no URL line: %r" % d.lines)
            check(len(glob.glob(os.path.join(tmp, "tidings-demo-*", "demo.db"))) == 1,
                  "no database in the temporary directory")
            status, _ = d.get("/articles/1")
            check(status == 200, "article 1: %d" % status)
            d.proc.send_signal(signal.SIGINT)
        finally:
            rc, log = d.stop()
        check(rc == 0, "exit status %d" % rc)
        check(glob.glob(os.path.join(tmp, "tidings-demo-*")) == [], "temporary directory left")


@test
def demo_port_taken_is_clear():
    with tempfile.TemporaryDirectory() as tmp:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        try:
            d = Demo(tmp, "--listen", "127.0.0.1:%d" % port, "--db", os.path.join(tmp, "x.db"))
            rc, log = d.stop()
        finally:
            s.close()
        check(d.port is None, "served on a taken port?")
        check(rc == 1, "exit status %d" % rc)
        check("127.0.0.1:%d" % port in log and "cannot be bound" in log,
              "unclear message: %r" % log[-500:])


@test
def demo_refuses_an_existing_database():
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "old.db")
        open(db, "w").close()
        p = subprocess.run([TIDINGS, "demo", "--db", db], capture_output=True, text=True,
                           timeout=30)
        check(p.returncode == 2, "exit status %d" % p.returncode)
        check("already exists" in p.stderr, "stderr: %r" % p.stderr)


def main():
    print("1..%d" % len(TESTS))
    failed = run_tests()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
