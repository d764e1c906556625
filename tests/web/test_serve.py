#!/usr/bin/env python3
"""Integration tests for `tidings serve`: start the real binary on an
ephemeral loopback port with a temporary directory, talk HTTP to it, and
check the responses, the access log and the graceful shutdown.

usage: test_serve.py PATH-TO-TIDINGS      (prints TAP)
"""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import traceback

TIDINGS = sys.argv[1]
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Server:
    def __init__(self, tmp, *extra):
        self.log_path = os.path.join(tmp, "serve.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [TIDINGS, "serve", "--listen", "127.0.0.1:0", "--site-name", "Test <Site>", *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            self.proc.kill()
            raise RuntimeError("serve did not start: %r" % line)
        self.port = int(m.group(1))

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, resp, data.decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=20)
        self.log.close()
        with open(self.log_path) as f:
            return rc, f.read()


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def check_csp(resp):
    csp = resp.getheader("Content-Security-Policy") or ""
    check("default-src 'none'" in csp, "CSP missing or weak: %r" % csp)
    check("'unsafe-inline'" not in csp, "CSP allows inline code: %r" % csp)
    check(resp.getheader("X-Content-Type-Options") == "nosniff", "nosniff missing")


SRV = None


@test
def home_page():
    status, resp, body = SRV.get("/")
    check(status == 200, "status %d" % status)
    check(resp.getheader("Content-Type") == "text/html; charset=utf-8", "content type")
    check_csp(resp)
    check(body.startswith("<!doctype html>"), "doctype")
    for landmark in ("<header class=\"site\">", "<main id=\"main\"", "<footer class=\"site\">",
                     "role=\"search\"", "href=\"#main\">Skip to content"):
        check(landmark in body, "missing " + landmark)
    check("Test &lt;Site&gt;" in body and "Test <Site>" not in body, "site name not escaped")


@test
def unknown_route_is_404_page():
    for path in ("/nope", "/articles", "/%2e%2e/%2e%2e/etc/passwd", "/static/../../etc/passwd"):
        status, resp, body = SRV.get(path)
        check(status == 404, "%s: status %d" % (path, status))
        check_csp(resp)
        check("<h1>Not found</h1>" in body, "404 page body for " + path)


@test
def wrong_method_is_405():
    status, resp, body = SRV.request("POST", "/", body="a=1",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 405, "status %d" % status)
    check_csp(resp)


@test
def head_has_no_body():
    status, resp, body = SRV.request("HEAD", "/")
    check(status == 200 and body == "", "HEAD: %d %r" % (status, body[:40]))


@test
def oversized_body_is_413():
    status, resp, body = SRV.request("POST", "/", body=b"a" * 200000,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    check(status == 413, "content-length: status %d" % status)
    check_csp(resp)
    check("Too large" in body, "413 page")


@test
def oversized_chunked_body_is_413():
    # No Content-Length: the cap has to hold while the body streams in.
    def chunks():
        for _ in range(50):
            yield b"b" * 8192
    conn = http.client.HTTPConnection("127.0.0.1", SRV.port, timeout=20)
    conn.request("POST", "/", body=chunks(), encode_chunked=True,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    check(resp.status == 413, "chunked: status %d" % resp.status)


@test
def malformed_query_is_400_with_message():
    for q in ("q=%zz", "q=%FF%FE", "q=%C3", "q=%00"):
        status, resp, body = SRV.get("/search?" + q)
        check(status == 400, "%s: status %d" % (q, status))
        check_csp(resp)
        check("<h1>Bad request</h1>" in body and "percent-escape" in body, "400 message for " + q)


@test
def malformed_path_is_400():
    status, resp, body = SRV.get("/articles/%zz")
    check(status == 400, "status %d" % status)


@test
def search_query_xss_is_inert():
    payload = "\"><script>alert(1)</script><img src=x onerror=alert(2)>"
    from urllib.parse import quote
    status, resp, body = SRV.get("/search?q=" + quote(payload))
    check(status == 200, "status %d" % status)
    check("<script>alert" not in body, "script tag reflected")
    check("<img src=x" not in body, "img tag reflected")
    check("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in body, "query not shown escaped")


@test
def stylesheet_is_served():
    status, resp, body = SRV.get("/static/style.css")
    check(status == 200, "status %d" % status)
    check(resp.getheader("Content-Type").startswith("text/css"), "content type")
    check_csp(resp)
    check("prefers-color-scheme:dark" in body and ":focus-visible" in body, "dark mode and focus")


@test
def no_logo_is_404():
    status, resp, body = SRV.get("/logo")
    check(status == 404, "status %d" % status)


@test
def raw_garbage_request_does_not_kill_server():
    s = socket.create_connection(("127.0.0.1", SRV.port), timeout=1)
    s.sendall(b"\x00\xff GARBAGE\r\n\r\n")
    try:
        s.recv(4096)
    except OSError:
        pass
    s.close()
    status, _, _ = SRV.get("/")
    check(status == 200, "server died after garbage: %d" % status)


def main():
    global SRV
    with tempfile.TemporaryDirectory() as tmp:
        SRV = Server(tmp)
        print("1..%d" % (len(TESTS) + 1))
        failed = 0
        for i, fn in enumerate(TESTS, 1):
            try:
                fn()
                print("ok %d %s" % (i, fn.__name__))
            except Exception:
                failed += 1
                print("not ok %d %s" % (i, fn.__name__))
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
            sys.stdout.flush()
        n = len(TESTS) + 1
        try:
            rc, log = SRV.stop()
            check(rc == 0, "exit status %d" % rc)
            check("info stopped" in log, "no graceful stop in log")
            lines = [l for l in log.splitlines() if " info http " in l]
            check(len(lines) >= len(TESTS), "one access line per request: %d" % len(lines))
            for l in lines:
                check(re.search(r' method=\S+ path="[^"\s]*" status=\d+ bytes=\d+ ms=[\d.]+ ip=', l),
                      "access line shape: " + l)
            check(any('path="/nope" status=404' in l for l in lines), "404 not logged")
            print("ok %d sigterm_graceful_and_access_log" % n)
        except Exception:
            failed += 1
            print("not ok %d sigterm_graceful_and_access_log" % n)
            for line in traceback.format_exc().splitlines():
                print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
