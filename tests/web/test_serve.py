#!/usr/bin/env python3
"""Integration tests for `tidings serve`: start the real binary on an
ephemeral loopback port with a temporary directory, talk HTTP to it, and
check the responses, the access log and the graceful shutdown.

The database is filled first by web_seed (through the store API) with
ordinary, related, French and hostile articles; IDS maps the names it
prints to ids.  That server runs with --no-crawl (the seeded feeds are not
on loopback).  Two more cases subscribe a fresh database to the fixture
server's feed on loopback: serve with its crawler fetches the articles,
serve --no-crawl does not.  Every database is of the back end under test
(storedb.py: TD_TEST_STORE=postgresql runs it all over PostgreSQL).

usage: test_serve.py TIDINGS WEB_SEED FIXTURE_SERVER FIXTURE_WWW   (prints TAP)
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from pytap import TESTS, check, run_tests, test  # noqa: E402
from storedb import StoreDB, skip_without_server  # noqa: E402

TIDINGS = sys.argv[1]
SEED = sys.argv[2]
FIXTURE = sys.argv[3]
FIXTURE_WWW = sys.argv[4]
IDS = {}
ATOM = "{http://www.w3.org/2005/Atom}"
DBS = {}


def loc(name):
    """The location of the test's database `name` ("t.db"), made on first use."""
    if name not in DBS:
        DBS[name] = StoreDB(TMP, name[:-len(".db")])
    return DBS[name].location


class Server:
    def __init__(self, tmp, *extra, db="t.db"):
        self.log_path = os.path.join(tmp, "serve-%s.log" % db)
        self.log = open(self.log_path, "w")
        # Beside a database file, or (a database URL) in XDG_CACHE_HOME.
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
        self.proc = subprocess.Popen(
            [TIDINGS, "serve", "--db", loc(db), "--listen", "127.0.0.1:0",
             "--site-name", "Test <Site>", *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
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


def check_csp(resp):
    csp = resp.getheader("Content-Security-Policy") or ""
    check("default-src 'none'" in csp, "CSP missing or weak: %r" % csp)
    check("'unsafe-inline'" not in csp, "CSP allows inline code: %r" % csp)
    check(resp.getheader("X-Content-Type-Options") == "nosniff", "nosniff missing")


class Browser:
    """A cookie jar and a CSRF-aware form poster over one Server."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, path, fields=None, raw=None, ctype="application/x-www-form-urlencoded"):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        body = raw
        if fields is not None:
            body = "&".join("%s=%s" % (quote(k), quote(v)) for k, v in fields.items())
        if body is not None:
            headers["Content-Type"] = ctype
        conn = http.client.HTTPConnection("127.0.0.1", SRV.port, timeout=30)
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", "replace")
        conn.close()
        for c in resp.msg.get_all("Set-Cookie") or []:
            self.set_cookies.append(c)
            name, value = c.split(";")[0].split("=", 1)
            if "Max-Age=0" in c:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return resp.status, resp, data

    set_cookies = []

    def csrf(self, path="/signup"):
        status, resp, body = self.request("GET", path)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', body)
        check(m, "no csrf token on " + path)
        return m.group(1)

    def signup(self, name, password="correct horse battery"):
        token = self.csrf("/signup")
        return self.request("POST", "/signup", {"csrf": token, "name": name, "password": password})

    def signin(self, name, password):
        token = self.csrf("/signin")
        return self.request("POST", "/signin", {"csrf": token, "name": name, "password": password})

    def article_csrf(self, article):
        return self.csrf("/articles/%d" % article)

    def comment(self, article, text):
        token = self.article_csrf(article)
        return self.request("POST", "/articles/%d/comments" % article, {"csrf": token, "body": text})


HOSTILE_NAME = "<img src=x onerror=alert('user')>Mallory"


SRV = None
TMP = None


# The one script every page links: the site's own, from /static/.
OWN_SCRIPT = re.compile(r'<script src="/static/app\.js\?v=[0-9a-f]{8}" defer></script>')


def check_inert(body, what):
    """No markup from the hostile fixtures may survive as markup."""
    low = OWN_SCRIPT.sub("", body, count=1).lower()
    check("<script" not in low, what + ": a <script> tag got through")
    check("<iframe" not in low, what + ": an <iframe> got through")
    check("<img src=x" not in low, what + ": an injected <img> got through")
    check(not re.search(r'(href|src)="\s*javascript:', low), what + ": a javascript: URL")
    check(not re.search(r'<[^>]+\son[a-z]+=', low), what + ": an event handler attribute")


def main_of(body):
    m = re.search(r"<main.*?</main>", body, re.S)
    check(m, "no <main>")
    return m.group(0)


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
def script_is_served_versioned_and_cacheable():
    status, resp, page = SRV.get("/")
    m = OWN_SCRIPT.search(page)
    check(m, "home does not link /static/app.js with a version")
    src = re.search(r'src="([^"]+)"', m.group(0)).group(1).replace("&amp;", "&")
    status, resp, body = SRV.get(src)
    check(status == 200, "status %d" % status)
    check(resp.getheader("Content-Type").startswith("text/javascript"), "content type")
    check("max-age=31536000" in (resp.getheader("Cache-Control") or ""), "long cache lifetime")
    check_csp(resp)
    check("fetch(" in body and "DOMParser" in body and "audio" in body, "comment and listen code")
    check("innerHTML" not in body and "eval(" not in body, "markup built from strings")


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

@test
def home_lists_newest_first_with_relative_times():
    status, resp, body = SRV.get("/")
    check(status == 200, "status %d" % status)
    main = main_of(body)
    order = [main.find("/articles/%d\"" % IDS[k]) for k in ("related", "xss", "memo", "french")]
    check(all(i > 0 for i in order) and order == sorted(order), "order: %r" % order)
    for phrase in ("33 minutes ago", "an hour ago", "5 hours ago", "1 day ago"):
        check(">%s</time>" % phrase in main, "missing relative time " + phrase)
    check(re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" title="[^"]+">', main),
          "exact time in datetime and title")
    check("Gazette &amp; Co" in main, "outlet name escaped")
    check_inert(body, "home")


@test
def article_page_in_order():
    status, resp, body = SRV.get("/articles/%d" % IDS["memo"])
    check(status == 200, "status %d" % status)
    main = main_of(body)
    parts = ["<h1>Leaked memo shows Kremlin view of Beijing espionage</h1>",
             ">Daily Planet</a>", "Ann Writer", ">5 hours ago</time>",
             "<img src=\"https://planet.example/img/leaders.jpg\" alt=\"Leaders meet in Moscow\"",
             "(Picture credit: AP)", "<p>The memo was reviewed by six agencies.</p>",
             "<audio controls", "Related articles",
             "/articles/%d\">Kremlin memo on Beijing espionage alarms officials" % IDS["related"],
             "No comments yet.", "href=\"https://planet.example/2026/memo\""]
    at = 0
    for p in parts:
        i = main.find(p, at)
        check(i >= 0, "missing or out of order: " + p)
        at = i + len(p)
    check("<title>Leaked memo shows Kremlin view of Beijing espionage" in body, "page title")


@test
def hostile_article_renders_inert():
    status, resp, body = SRV.get("/articles/%d" % IDS["xss"])
    check(status == 200, "status %d" % status)
    check_inert(body, "article")
    check("XSSPROBE" in body, "the article itself is shown")
    check("&lt;script&gt;alert(&#39;title&#39;)" in body, "title shown as text")
    check("Read the original" not in body, "a javascript: original link was offered")
    check("<figure" not in body, "a javascript: image was shown")
    for path in ("/outlets/%d" % IDS["outlet_evil"], "/latest", "/search?q=XSSPROBE",
                 "/api/v1/articles", "/feed.atom", "/outlets.opml", "/outlets"):
        status, resp, body = SRV.get(path)
        check(status == 200, "%s: status %d" % (path, status))
        if resp.getheader("Content-Type").startswith("text/html"):
            check_inert(body, path)
        else:
            check("<script" not in body.lower(), path + ": raw <script> in " +
                  resp.getheader("Content-Type"))


@test
def missing_things_are_404():
    for path in ("/articles/999999", "/articles/abc", "/articles/0", "/outlets/999",
                 "/outlets/999/feed.atom", "/articles/999999/listen",
                 "/articles/99999999999999999999999"):
        status, resp, body = SRV.get(path)
        check(status == 404, "%s: status %d" % (path, status))
        check_csp(resp)
    status, resp, body = SRV.get("/api/v1/articles/999999")
    check(status == 404 and json.loads(body)["error"], "API 404")


@test
def lists_paginate_by_cursor():
    status, resp, body = SRV.get("/latest")
    m = re.search(r'href="(/latest\?after=\d+\.\d+)"', body)
    check(m, "no Older link")
    first = set(re.findall(r'href="/articles/(\d+)"', main_of(body)))
    status, resp, body2 = SRV.get(m.group(1))
    check(status == 200, "page 2 status %d" % status)
    second = set(re.findall(r'href="/articles/(\d+)"', main_of(body2)))
    check(len(first) == 20 and second and not (first & second), "pages overlap or are empty")
    for bad in ("/latest?after=x", "/latest?after=1.0", "/latest?after=12"):
        status, _, body = SRV.get(bad)
        check(status == 400, "%s: status %d" % (bad, status))


@test
def outlet_page_and_list():
    status, resp, body = SRV.get("/outlets/%d" % IDS["outlet_planet"])
    check(status == 200 and "<h1>Daily Planet</h1>" in body, "outlet page")
    main = main_of(body)
    check("/articles/%d\"" % IDS["memo"] in main and "/articles/%d\"" % IDS["related"] not in main,
          "outlet page shows only its articles")
    check('href="/outlets/%d/feed.atom"' % IDS["outlet_planet"] in body, "outlet feed link")
    status, resp, body = SRV.get("/outlets")
    check(status == 200 and "Gazette &amp; Co</a> <span class=\"meta\">31 articles" in body,
          "outlets list with counts")


@test
def search_operators():
    def ids(q):
        status, resp, body = SRV.get("/search?q=" + quote(q))
        check(status == 200, "%r: status %d" % (q, status))
        return set(int(i) for i in re.findall(r'href="/articles/(\d+)"', main_of(body))), body
    found, body = ids("memo")
    check(found == {IDS["memo"], IDS["related"]}, "memo: %r" % found)
    check("<mark>" in body, "snippets highlighted")
    found, _ = ids('"leaked memo"')
    check(found == {IDS["memo"]}, "phrase: %r" % found)
    found, _ = ids("memo -alarms")
    check(found == {IDS["memo"]}, "exclude: %r" % found)
    found, _ = ids('memo outlet:"gazette & co"')
    check(found == {IDS["related"]}, "outlet: %r" % found)
    found, _ = ids("memo outlet:%d" % IDS["outlet_planet"])
    check(found == {IDS["memo"]}, "outlet by id: %r" % found)
    found, _ = ids("budget after:2000-01-01")
    check(found == {IDS["french"]}, "after: %r" % found)
    found, _ = ids("budget before:2000-01-01")
    check(found == set(), "before: %r" % found)
    found, body = ids("memo after:2026-02-30")
    check(found == set() and "need a date like" in body, "bad date message")
    found, body = ids("outlet:Nobody")
    check("No outlet is called" in body, "unknown outlet message")
    found, body = ids("weather")
    check(len(found) == 20 and 'rel="next"' in body, "search pagination")
    status, _, _ = SRV.get("/search?q=weather&page=0")
    check(status == 400, "page=0: %d" % status)


@test
def atom_feeds_parse():
    for path, want in (("/feed.atom", None), ("/outlets/%d/feed.atom" % IDS["outlet_planet"], 1),
                       ("/search.atom?q=memo", 2)):
        status, resp, body = SRV.get(path)
        check(status == 200, "%s: status %d" % (path, status))
        check(resp.getheader("Content-Type").startswith("application/atom+xml"), "atom type")
        root = ET.fromstring(body.encode())
        check(root.tag == ATOM + "feed", "root is atom:feed")
        for el in ("id", "title", "updated"):
            check(root.find(ATOM + el) is not None, "feed lacks " + el)
        entries = root.findall(ATOM + "entry")
        if want is not None:
            check(len(entries) == want, "%s: %d entries" % (path, len(entries)))
        for e in entries:
            for el in ("id", "title", "updated", "author"):
                check(e.find(ATOM + el) is not None, "entry lacks " + el)
    status, resp, body = SRV.get("/feed.atom")
    titles = [e.find(ATOM + "title").text for e in ET.fromstring(body.encode()).iter(ATOM + "entry")]
    check(any(t.startswith("<script>alert('title')") for t in titles),
          "hostile title is text in the feed")


@test
def opml_export_parses():
    status, resp, body = SRV.get("/outlets.opml")
    check(status == 200, "status %d" % status)
    root = ET.fromstring(body.encode())
    urls = [o.get("xmlUrl") for o in root.iter("outline")]
    check("https://planet.example/rss" in urls and len(urls) == 4, "outlines: %r" % urls)


@test
def json_api_shapes():
    status, resp, body = SRV.get("/api/v1/articles?limit=5")
    check(status == 200 and resp.getheader("Content-Type") == "application/json", "list")
    check_csp(resp)
    j = json.loads(body)
    check(len(j["articles"]) == 5 and j["next"], "five and a next link")
    a = j["articles"][0]
    for k in ("id", "title", "url", "outlet", "authors", "published", "language", "image",
              "teaser", "links"):
        check(k in a, "article lacks " + k)
    path = j["next"].split(str(SRV.port), 1)[1]
    status, resp, body = SRV.get(path)
    j2 = json.loads(body)
    check(status == 200 and j2["articles"][0]["id"] not in [x["id"] for x in j["articles"]],
          "next page")
    status, resp, body = SRV.get("/api/v1/articles/%d" % IDS["memo"])
    j = json.loads(body)
    check(j["text"].startswith("A confidential memo") and j["authors"] == ["Ann Writer"], "full")
    check(j["image"]["credit"] == "(Picture credit: AP)", "image credit")
    check([r["id"] for r in j["related"]] == [IDS["related"]], "related: %r" % j["related"])
    check(j["links"]["listen"].endswith("/articles/%d/listen" % IDS["memo"]), "listen link")
    status, resp, body = SRV.get("/api/v1/outlets")
    outs = json.loads(body)["outlets"]
    check(len(outs) == 4 and all("articles" in o for o in outs), "outlets")
    status, resp, body = SRV.get("/api/v1/outlets/%d/articles" % IDS["outlet_monde"])
    check([x["id"] for x in json.loads(body)["articles"]] == [IDS["french"]], "outlet articles")
    status, resp, body = SRV.get("/api/v1/search?q=" + quote('"leaked memo"'))
    j = json.loads(body)
    check([x["id"] for x in j["results"]] == [IDS["memo"]], "search")
    check("<mark>" in j["results"][0]["snippet_html"], "snippet_html")
    for bad in ("/api/v1/articles?limit=0", "/api/v1/articles?limit=x",
                "/api/v1/articles?after=nope", "/api/v1/search?q=a+after:nope"):
        status, resp, body = SRV.get(bad)
        check(status == 400 and json.loads(body)["error"], "%s: %d" % (bad, status))


@test
def listen_returns_cached_audio():
    status, resp, body = SRV.request("GET", "/articles/%d/listen" % IDS["french"])
    check(status == 200, "status %d" % status)
    check(resp.getheader("Content-Type").startswith("audio/"), "audio type")
    check(resp.getheader("X-Listen-Cache") == "miss", "first is a miss")
    conn = http.client.HTTPConnection("127.0.0.1", SRV.port, timeout=60)
    conn.request("GET", "/articles/%d/listen" % IDS["french"])
    r2 = conn.getresponse()
    data = r2.read()
    conn.close()
    check(data[:4] in (b"OggS", b"RIFF"), "not Ogg or WAV: %r" % data[:8])
    check(r2.getheader("X-Listen-Cache") == "hit", "second is a hit")

@test
def signup_sets_safe_cookies_and_shows_the_reader():
    b = Browser()
    status, resp, body = b.signup("alice")
    check(status == 303 and resp.getheader("Location") == "/", "signup: %d" % status)
    sess = [c for c in b.set_cookies if c.startswith("td_session=")]
    check(sess and "HttpOnly" in sess[-1] and "SameSite=Lax" in sess[-1] and "Path=/" in sess[-1],
          "session cookie flags: %r" % sess)
    check("Secure" not in sess[-1], "Secure on plain http")
    status, resp, body = b.request("GET", "/")
    check('<span class="who">alice</span>' in body and 'action="/signout"' in body, "signed in")
    status, resp, body = Browser().signup("ALICE")
    check(status == 409 and "taken" in body, "duplicate name ignoring case: %d" % status)
    status, resp, body = Browser().signup("bob", "short")
    check(status == 400 and "at least 8" in body, "short password: %d" % status)


@test
def csrf_is_required_on_every_form():
    b = Browser()
    b.signup("carol")
    bad = "0" * 64
    for path, fields in (("/signup", {"name": "x1", "password": "longenough1"}),
                         ("/signin", {"name": "carol", "password": "correct horse battery"}),
                         ("/signout", {}),
                         ("/articles/%d/comments" % IDS["memo"], {"body": "hi"})):
        for token in (None, bad):
            f = dict(fields)
            if token:
                f["csrf"] = token
            status, resp, body = b.request("POST", path, f)
            check(status == 403 and "did not come from this site" in body,
                  "%s with csrf %r: %d" % (path, token, status))
    # A token made for another browser does not work either.
    other = Browser()
    token = other.csrf("/signup")
    status, _, _ = b.request("POST", "/articles/%d/comments" % IDS["memo"],
                             {"csrf": token, "body": "hi"})
    check(status == 403, "foreign token: %d" % status)


@test
def malformed_forms_are_400():
    b = Browser()
    token = b.csrf("/signin")
    status, resp, body = b.request("POST", "/signin", raw="csrf=%s&name=%%zz" % token)
    check(status == 400 and "percent-escape" in body, "bad escape: %d" % status)
    status, resp, body = b.request("POST", "/signin", raw="csrf=%s&name=%%FF" % token)
    check(status == 400, "bad utf-8: %d" % status)
    status, resp, body = b.request("POST", "/signin", raw='{"name": 1}', ctype="application/json")
    check(status == 400 and "x-www-form-urlencoded" in body, "json body: %d" % status)
    status, resp, body = b.request("POST", "/signin", raw="&".join("f%d=1" % i for i in range(100)))
    check(status == 400 and "too many fields" in body, "too many fields: %d" % status)


@test
def comment_flow_sign_up_post_see_edit_delete():
    art = IDS["french"]
    status, resp, body = SRV.get("/articles/%d" % art)
    check("No comments yet." in body and "Sign in</a> or" in body, "empty comments")
    b = Browser()
    b.signup(HOSTILE_NAME)
    text = "Great read <script>alert('comment')</script> see https://example.org/a?b=1&c=2."
    status, resp, body = b.comment(art, text)
    check(status == 303 and re.match(r"/articles/%d#c\d+$" % art, resp.getheader("Location")),
          "post: %d %r" % (status, resp.getheader("Location")))
    cid = int(resp.getheader("Location").split("#c")[1])
    for who, br in (("author", b), ("anonymous", Browser())):
        status, resp, body = br.request("GET", "/articles/%d" % art)
        check("No comments yet." not in body, who + ": still empty")
        check("Great read &lt;script&gt;alert(&#39;comment&#39;)&lt;/script&gt;" in body,
              who + ": comment not shown escaped")
        check('href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a>.'
              in body, who + ": URL not auto-linked")
        check("&lt;img src=x onerror=alert(&#39;user&#39;)&gt;Mallory" in body, who + ": name")
        check_inert(body, who + " view")
    status, resp, body = b.request("GET", "/articles/%d" % art)
    check('action="/comments/%d/edit"' % cid in body, "author can edit")
    status, resp, body = Browser().request("GET", "/articles/%d" % art)
    check('action="/comments/%d/edit"' % cid not in body, "anonymous cannot edit")
    token = b.article_csrf(art)
    status, resp, body = b.request("POST", "/comments/%d/edit" % cid,
                                   {"csrf": token, "body": "Edited text"})
    check(status == 303, "edit: %d" % status)
    status, resp, body = SRV.get("/api/v1/articles/%d" % art)
    comments = json.loads(body)["comments"]
    check([c["body"] for c in comments] == ["Edited text"] and comments[0]["edited"], "api edit")
    check(comments[0]["user"] == HOSTILE_NAME, "api user name")
    # Somebody else may neither edit nor delete it.
    eve = Browser()
    eve.signup("eve")
    token = eve.article_csrf(art)
    for action in ("edit", "delete", "hide"):
        status, _, _ = eve.request("POST", "/comments/%d/%s" % (cid, action),
                                   {"csrf": token, "body": "pwned"})
        check(status == 403, "eve %s: %d" % (action, status))
    token = b.article_csrf(art)
    status, _, _ = b.request("POST", "/comments/%d/delete" % cid, {"csrf": token})
    check(status == 303, "delete: %d" % status)
    status, resp, body = SRV.get("/articles/%d" % art)
    check("No comments yet." in body, "deleted comment still shown")


@test
def comment_limits():
    b = Browser()
    b.signup("chatty")
    art = IDS["related"]
    status, resp, body = b.comment(art, "x" * 4001)
    check(status == 413, "long comment: %d" % status)
    status, resp, body = b.comment(art, "   ")
    check(status == 400, "empty comment: %d" % status)
    token = b.article_csrf(art)
    status, resp, body = b.request("POST", "/articles/999999/comments",
                                   {"csrf": token, "body": "hello"})
    check(status == 404, "comment on a missing article: %d" % status)
    statuses = [b.comment(art, "note %d" % i)[0] for i in range(6)]
    check(statuses[:5] == [303] * 5 and statuses[5] == 429, "rate limit: %r" % statuses)
    status, resp, body = Browser().request("POST", "/articles/%d/comments" % art,
                                           {"csrf": Browser().csrf(), "body": "anon"})
    check(status == 403, "anonymous comment: %d" % status)


@test
def admin_hides_and_deletes_any_comment():
    db = loc("t.db")
    out = subprocess.run([TIDINGS, "user", "add", "root", "--admin", "--db", db],
                         input="admin password 1\n", capture_output=True, text=True)
    check(out.returncode == 0 and "admin" in out.stdout, "user add: %r" % (out.stderr,))
    out = subprocess.run([TIDINGS, "user", "add", "root", "--db", db],
                         input="admin password 1\n", capture_output=True, text=True)
    check(out.returncode == 1 and "taken" in out.stderr, "duplicate user add: %r" % out.stderr)
    out = subprocess.run([TIDINGS, "user", "add", "shorty", "--db", db],
                         input="short\n", capture_output=True, text=True)
    check(out.returncode == 1, "short password accepted by user add")
    art = IDS["memo"]
    u = Browser()
    u.signup("dave")
    status, resp, body = u.comment(art, "a comment to moderate")
    cid = int(resp.getheader("Location").split("#c")[1])
    admin = Browser()
    status, resp, body = admin.signin("root", "admin password 1")
    check(status == 303, "admin signin: %d" % status)
    token = admin.article_csrf(art)
    status, _, _ = admin.request("POST", "/comments/%d/hide" % cid, {"csrf": token})
    check(status == 303, "hide: %d" % status)
    status, resp, body = SRV.get("/articles/%d" % art)
    check("a comment to moderate" not in body, "hidden comment shown to the public")
    status, resp, body = admin.request("GET", "/articles/%d" % art)
    check("a comment to moderate" in body and "(hidden)" in body, "admin sees hidden comment")
    status, _, _ = admin.request("POST", "/comments/%d/delete" % cid, {"csrf": token})
    check(status == 303, "admin delete: %d" % status)
    status, resp, body = admin.request("GET", "/articles/%d" % art)
    check("a comment to moderate" not in body, "deleted comment still there")


@test
def signout_ends_the_session():
    b = Browser()
    b.signup("frank")
    old = dict(b.cookies)
    status, resp, body = b.request("GET", "/")
    token = re.search(r'action="/signout" method="post"><input type="hidden" name="csrf" '
                      r'value="([0-9a-f]{64})"', body)
    check(token, "no sign-out form")
    status, resp, body = b.request("POST", "/signout", {"csrf": token.group(1)})
    check(status == 303 and "td_session" not in b.cookies, "signout: %d" % status)
    # The old cookie no longer signs anyone in.
    b.cookies = old
    status, resp, body = b.request("GET", "/")
    check('class="who"' not in body, "session survived sign-out")


@test
def signin_is_rate_limited():
    b = Browser()
    b.signup("grace", "grace password 1")
    status, resp, body = Browser().signin("grace", "grace password 1")
    check(status == 303, "good signin: %d" % status)
    status, resp, body = Browser().signin("grace", "wrong password")
    check(status == 401 and "do not match" in body, "bad password: %d" % status)
    status, resp, body = Browser().signin("nobody-at-all", "whatever123")
    check(status == 401, "unknown user: %d" % status)
    statuses = [Browser().signin("grace", "wrong %d" % i)[0] for i in range(5)]
    check(statuses[-1] == 429, "no rate limit: %r" % statuses)
    status, resp, body = Browser().signin("grace", "grace password 1")
    check(status == 429, "blocked account still signs in: %d" % status)


class Fixture:
    """The fixture-server binary serving tests/fixture/www on loopback."""

    def __init__(self, tmp):
        port_file = os.path.join(tmp, "fixture.port")
        self.proc = subprocess.Popen([FIXTURE, "--dir", FIXTURE_WWW, "--port-file", port_file],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not os.path.exists(port_file):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("fixture-server did not start")
            time.sleep(0.05)
        with open(port_file) as f:
            self.port = int(f.read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=20)


def subscribed_db(tmp, fixture, db):
    """A fresh database subscribed (not crawled) to the fixture's feed."""
    subprocess.run([TIDINGS, "add", "--db", loc(db), "--allow-private",
                    "http://127.0.0.1:%d/feed.xml" % fixture.port],
                   capture_output=True, text=True, check=True, timeout=60)


def api_titles(srv):
    status, resp, body = srv.get("/api/v1/articles")
    check(status == 200, "/api/v1/articles: %d" % status)
    return [a.get("title") for a in json.loads(body)["articles"]]


# Cases run after the seeded server has stopped, against the fixture
# server (FIX) with databases of their own in TMP.
CRAWL_TESTS = []


def crawl_test(fn):
    CRAWL_TESTS.append(fn)
    return fn


@crawl_test
def serve_runs_the_crawler_and_stops_on_sigterm():
    tmp, fixture = TMP, FIX
    subscribed_db(tmp, fixture, "crawl.db")
    srv = Server(tmp, db="crawl.db")
    try:
        deadline = time.monotonic() + 20
        titles = api_titles(srv)
        while "Harbour bridge reopens after two years of repairs" not in titles:
            check(time.monotonic() < deadline, "no crawled article within 20 s: %r" % titles)
            time.sleep(0.2)
            titles = api_titles(srv)
    finally:
        t0 = time.monotonic()
        rc, log = srv.stop()
    check(rc == 0, "exit status %d" % rc)
    check(time.monotonic() - t0 < 10, "shutdown took %.1f s" % (time.monotonic() - t0))
    check("crawl=on" in log and "info crawl: pass done" in log, "crawler not in the log:\n" + log)
    check(log.rstrip().endswith("info stopped"), "no graceful stop in log:\n" + log)


@crawl_test
def serve_no_crawl_fetches_nothing():
    tmp, fixture = TMP, FIX
    subscribed_db(tmp, fixture, "nocrawl.db")
    srv = Server(tmp, "--no-crawl", db="nocrawl.db")
    try:
        # The crawling case above has its article in well under this time.
        time.sleep(3)
        titles = api_titles(srv)
    finally:
        rc, log = srv.stop()
    check(titles == [], "articles without a crawler: %r" % titles)
    check(rc == 0, "exit status %d" % rc)
    check("crawl=off" in log and "crawl:" not in log, "a crawler ran:\n" + log)


@crawl_test
def cached_pages_follow_a_crawl_while_serving():
    tmp, fixture = TMP, FIX
    """Anonymous pages come from the response cache until the database
    changes: a crawl by another process while the server runs shows on the
    home page and in the API at once, not when the cached copy ages out."""
    subscribed_db(tmp, fixture, "cache.db")
    srv = Server(tmp, "--no-crawl", db="cache.db")
    title = "Harbour bridge reopens after two years of repairs"
    try:
        bodies = [srv.get("/")[2] for _ in range(3)]
        check(all(title not in b for b in bodies), "article on home before any crawl")
        check(api_titles(srv) == [], "articles in the API before any crawl")
        status, resp, _ = srv.request("GET", "/", headers={"Cookie": "td_csrf=x"})
        check(status == 200, "home with a cookie: %d" % status)
        t0 = time.monotonic()
        subprocess.run([TIDINGS, "crawl", "--once", "--db", loc("cache.db")],
                       capture_output=True, text=True, check=True, timeout=60)
        status, resp, body = srv.get("/")
        elapsed = time.monotonic() - t0
        check(status == 200 and title in body,
              "crawled article not on home %.1f s after the crawl began" % elapsed)
        check_csp(resp)
        check(title in api_titles(srv), "crawled article not in the API")
    finally:
        rc, log = srv.stop()
    check(rc == 0, "exit status %d" % rc)
    home = [l for l in log.splitlines() if ' info http method=GET path="/" ' in l]
    check(len(home) == 5, "five home requests logged: %r" % home)
    # (Lines are written as requests complete, not always in order.)  The two
    # anonymous repeats are hits; the reader with a cookie is rendered, and so
    # is the first page after the crawl, which is bigger by an article.
    check(sum("cache=hit" in l for l in home) == 2, "cache hits on home: %r" % home)
    sizes = sorted(int(re.search(r" bytes=(\d+) ", l).group(1)) for l in home)
    after = [l for l in home if " bytes=%d " % sizes[-1] in l]
    check(sizes[0] == sizes[3] < sizes[4] and "cache=hit" not in after[0],
          "home after the crawl: %r" % home)


def sigterm_graceful_and_access_log():
    rc, log = SRV.stop()
    check(rc == 0, "exit status %d" % rc)
    check("info stopped" in log, "no graceful stop in log")
    lines = [l for l in log.splitlines() if " info http " in l]
    check(len(lines) >= len(TESTS), "one access line per request: %d" % len(lines))
    for l in lines:
        check(re.search(r' method=\S+ path="[^"\s]*" status=\d+ bytes=\d+ ms=[\d.]+ ip=', l),
              "access line shape: " + l)
    check(any('path="/nope" status=404' in l for l in lines), "404 not logged")


def main():
    global SRV, TMP, FIX
    skip_without_server()
    with tempfile.TemporaryDirectory() as tmp:
        TMP = tmp
        seeded = subprocess.run([SEED, loc("t.db")], capture_output=True,
                                text=True, check=True)
        for line in seeded.stdout.split():
            k, v = line.split("=")
            IDS[k] = int(v)
        SRV = Server(tmp, "--no-crawl")
        print("1..%d" % (len(TESTS) + 1 + len(CRAWL_TESTS)))
        failed = run_tests()
        failed += run_tests([sigterm_graceful_and_access_log], len(TESTS) + 1)
        FIX = Fixture(tmp)
        try:
            failed += run_tests(CRAWL_TESTS, len(TESTS) + 2)
        finally:
            FIX.stop()
            for d in DBS.values():
                d.drop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
