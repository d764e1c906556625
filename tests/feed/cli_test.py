#!/usr/bin/env python3
"""`tidings parse-feed` through the real binary: files, stdin, several files
(JSON Lines), URLs served by the loopback fixture server (with and without
the SSRF guard), errors and usage.  Prints TAP.

  cli_test.py TIDINGS FIXTURE_SERVER DATA_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import time

tidings, fixture, data = sys.argv[1:4]
results = []


def case(name):
    def wrap(fn):
        results.append((name, fn))
        return fn
    return wrap


def run(*args, stdin=None):
    return subprocess.run([tidings, "parse-feed", *args], input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60)


def parse_json(*args, stdin=None):
    p = run("--json", *args, stdin=stdin)
    assert p.returncode == 0, p.stderr.decode()
    return json.loads(p.stdout)


@case("rss file: model, repairs, identity, sanitizing")
def _():
    d = parse_json("--url", "https://news.example/rss", os.path.join(data, "news.rss"))
    assert d["version"] == "rss20", d["version"]
    assert d["bozo"] is True  # &eacute; in XML
    assert d["encoding"] == "iso-8859-1", d["encoding"]
    f = d["feed"]
    assert f["title"] == "Caf\u00e9 News", f["title"]
    assert f["ttl"] == 15
    e = d["entries"]
    assert len(e) == 2, "repeated guid must not give a second entry"
    assert e[0]["title"] == "Premi\u00e8re nouvelle"
    assert e[0]["link"] == "https://news.example/2023/10/first", e[0]["link"]
    assert e[0]["key"] == "news-1"
    assert e[0]["published"] == "2023-10-28T20:28:28Z", e[0]["published"]
    assert "script" not in e[0]["summary"] and "onclick" not in e[0]["summary"]
    assert "https://news.example/more" in e[0]["summary"], e[0]["summary"]
    assert e[0]["media_thumbnail"][0]["url"] == "https://news.example/img/1.jpg"
    assert e[0]["media_credit"][0]["content"] == "AFP"
    assert e[0]["tags"][0]["term"] == "Monde"
    assert e[1]["enclosures"] == [{"href": "https://cdn.news.example/1.mp3",
                                   "type": "audio/mpeg", "length": "12345"}]
    assert e[1]["published"] == "2023-10-29T09:00:00Z"


@case("atom from stdin")
def _():
    with open(os.path.join(data, "blog.atom"), "rb") as fp:
        d = parse_json("-", stdin=fp.read())
    assert d["version"] == "atom10" and d["bozo"] is False
    assert d["feed"]["hub"] == "https://hub.example/"
    assert d["entries"][0]["link"] == "https://blog.example/posts/hello"
    assert "onerror" not in d["entries"][0]["content"][0]["value"]


@case("several files give JSON Lines; text summary")
def _():
    p = run("--json", os.path.join(data, "blog.atom"), os.path.join(data, "items.json"))
    lines = p.stdout.decode().splitlines()
    assert p.returncode == 0 and len(lines) == 2
    assert json.loads(lines[1])["version"] == "json11"
    p = run(os.path.join(data, "items.json"))
    assert p.returncode == 0 and b"json11 feed: JSON items" in p.stdout, p.stdout


@case("--content-language gives text without xml:lang its language")
def _():
    with open(os.path.join(data, "blog.atom"), "rb") as fp:
        doc = fp.read()
    d = parse_json("--content-language", "de", "-", stdin=doc)
    assert d["entries"][0]["title_detail"]["language"] == "de", d["entries"][0]
    p = run("--json", "--content-language", "de",
            "-", stdin=b'<rss version="2.0"><channel><title>T</title></channel></rss>')
    d = json.loads(p.stdout)
    assert d["feed"]["language"] == "de", d["feed"]
    assert d["feed"]["title_detail"]["language"] == "de", d["feed"]


@case("URL through the loopback fixture server")
def _():
    with tempfile.TemporaryDirectory() as tmp:
        port_file = os.path.join(tmp, "port")
        srv = subprocess.Popen([fixture, "--dir", data, "--port-file", port_file],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                if os.path.exists(port_file):
                    break
                time.sleep(0.05)
            port = open(port_file).read().strip()
            url = "http://127.0.0.1:%s/blog.atom" % port
            p = run("--json", url)
            assert p.returncode == 1, "a loopback URL must be refused without --allow-private"
            assert b"denied" in p.stderr or b"private" in p.stderr, p.stderr
            d = parse_json("--allow-private", url)
            assert d["feed"]["title"] == "A blog"
            p = run("--json", "--allow-private", "http://127.0.0.1:%s/missing.xml" % port)
            assert p.returncode == 1
        finally:
            srv.terminate()
            srv.wait()


@case("errors and usage")
def _():
    assert run().returncode == 2
    assert run("--bogus", "x").returncode == 2
    assert run("--default-zone", "Mars/Base", "x").returncode == 2
    p = run("/nonexistent/feed.xml")
    assert p.returncode == 1 and b"No such file" in p.stderr
    p = run("-", stdin=b"<html><body>not a feed</body></html>")
    assert p.returncode == 1 and b"parse error" in p.stderr, p.stderr
    p = run("-", stdin=b"")
    assert p.returncode == 1


print("1..%d" % len(results))
failed = 0
for i, (name, fn) in enumerate(results, 1):
    try:
        fn()
        print("ok %d %s" % (i, name))
    except Exception as exc:  # report and go on: each case is independent
        failed += 1
        print("not ok %d %s" % (i, name))
        print("# %r" % exc)
sys.exit(1 if failed else 0)
