#!/usr/bin/env python3
"""The real binary over each store back end: `tidings add`, `crawl --once`
twice, `feeds`, and `serve --no-crawl` answering searches, all with --db
naming a database of the back end under test (storedb.py: an SQLite file,
or with TD_TEST_STORE=postgresql a postgresql:// URI on the server
TD_TEST_PG names).  Two outlets' feeds and pages come from the fixture
server on loopback.  The test reads the database back itself, and through
the web server's JSON API.

usage: test_crawl_db.py TIDINGS FIXTURE_SERVER   (prints TAP)
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from email.utils import formatdate

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from pytap import TESTS, check, run_tests, test  # noqa: E402
from child import serve  # noqa: E402
from storedb import StoreDB, backend, skip_without_server  # noqa: E402

TIDINGS = sys.argv[1]
FIXTURE = sys.argv[2]
NOW = int(time.time())

# slug -> (outlet name, [(key, title, paragraphs)])
OUTLETS = {
    "alpine": ("Alpine Courier", [
        ("glacier", "Glacier above Zürich lost a metre of ice this summer", [
            "Surveyors measuring the Morteratsch glacier found it had lost a full metre of "
            "ice thickness over the summer, the largest loss in their forty years of records.",
            "The survey team said meltwater streams had carved new channels under the tongue "
            "of the glacier, and that hikers should keep to the marked paths.",
        ]),
        ("railway", "Mountain railway reopens after the rockfall", [
            "The narrow-gauge railway to the pass reopened on Friday, three weeks after a "
            "rockfall buried two hundred metres of track below the upper station.",
            "Engineers added a steel net above the cutting, and trains now run at walking "
            "pace through the repaired section until the slope has been inspected again.",
        ]),
    ]),
    "harbour": ("Harbour Gazette", [
        ("ferry", "New electric ferry enters service across the harbour", [
            "The harbour's first electric ferry carried its first passengers on Monday, "
            "crossing to the island in twelve minutes without a sound from its engines.",
            "Its batteries charge at the quay during the five-minute turnaround, and the "
            "operator plans to replace the two diesel ferries by the end of next year.",
        ]),
        ("market", "Fish market moves to the old customs house", [
            "The fish market will move into the restored customs house in the spring, "
            "ending thirty years in temporary sheds at the end of the east pier.",
            "Traders welcomed the cold rooms in the new building but asked the council "
            "for more parking for the delivery vans that arrive before dawn.",
        ]),
        ("quay", "Quay repairs close the north berth for a month", [
            "Divers found cracks in the concrete of the north berth, and the port closed "
            "it for a month of repairs starting on Monday.",
            "Cruise ships will tie up at the south berth meanwhile, and the ferry timetable "
            "does not change.",
        ]),
    ]),
}
N_ARTICLES = sum(len(items) for _, items in OUTLETS.values())


def write_www(www):
    for slug, (name, items) in OUTLETS.items():
        os.makedirs(os.path.join(www, slug), exist_ok=True)
        entries = []
        for i, (key, title, paras) in enumerate(items):
            body = "\n".join("<p>%s</p>" % p for p in paras)
            with open(os.path.join(www, slug, key + ".html"), "w") as f:
                f.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                        "<title>%s</title></head><body><article><h1>%s</h1>\n%s\n</article>"
                        "<footer>%s</footer></body></html>\n" % (title, title, body, name))
            entries.append(
                "<item><title>%s</title><link>/%s/%s.html</link>"
                "<guid isPermaLink=\"false\">%s-%s</guid><pubDate>%s</pubDate>"
                "<description>%s</description></item>"
                % (title, slug, key, slug, key, formatdate(NOW - 3600 * (i + 1), usegmt=True),
                   paras[0]))
        with open(os.path.join(www, slug, "feed.xml"), "w") as f:
            f.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                    "<title>%s</title><link>/%s/</link><description>%s</description>%s"
                    "</channel></rss>\n" % (name, slug, name, "".join(entries)))


def run(*args, stdin=None):
    p = subprocess.run([TIDINGS, *args], capture_output=True, text=True, timeout=120, input=stdin)
    check(p.returncode == 0, "tidings %s: rc %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def search(q):
    status, body = SRV.get("/api/v1/search?q=" + urllib.parse.quote(q))
    check(status == 200, "search %r: HTTP %d: %s" % (q, status, body[:200]))
    return json.loads(body)["results"]


DB = None
BASE = None
FIRST = None
SRV = None


@test
def crawl_stores_every_entry():
    check(re.search(r"crawled 2 feeds", FIRST), "first crawl: %r" % FIRST)
    check(DB.value("SELECT count(*) FROM articles") == N_ARTICLES, "one row per entry")
    text = DB.value("SELECT text FROM articles WHERE url LIKE '%/alpine/glacier.html'")
    check(text and "Morteratsch glacier" in text, "extracted text: %r" % text)
    check("Alpine Courier" not in text, "the footer is not the text: %r" % text)
    summary = DB.value("SELECT feed_summary_html FROM articles WHERE url LIKE '%/harbour/ferry.html'")
    check(summary and "first electric ferry" in summary, "the feed's own summary: %r" % summary)
    feeds = DB.rows("SELECT url, last_status, error_count, etag FROM feeds ORDER BY url")
    check(len(feeds) == 2, "two feeds: %r" % feeds)
    for url, status, errors, etag in feeds:
        check(status == 200 and errors == 0 and etag, "fetched cleanly: %r" % (feeds,))
    outlets = DB.rows("SELECT name FROM outlets ORDER BY name")
    check(outlets == [("Alpine Courier",), ("Harbour Gazette",)], "outlets: %r" % outlets)


@test
def second_crawl_changes_nothing():
    DB.execute("UPDATE feeds SET next_fetch_at = 0")
    out = run("crawl", "--once", "--db", DB.location)
    check("crawled 2 feeds" in out and "0 new entries" in out, "second crawl: %r" % out)
    check(DB.value("SELECT count(*) FROM articles") == N_ARTICLES, "no new rows")
    check(DB.value("SELECT count(*) FROM (SELECT DISTINCT feed_id, entry_key FROM articles) k")
          == N_ARTICLES, "no duplicates")
    statuses = DB.rows("SELECT last_status FROM feeds")
    check(statuses == [(304,), (304,)], "conditional GETs answered 304: %r" % statuses)


@test
def feeds_lists_status():
    out = run("feeds", "--db", DB.location)
    for slug in OUTLETS:
        check(BASE + slug + "/feed.xml" in out, "feeds lists %s: %r" % (slug, out))
    check("\"Alpine Courier\"" in out and "\"Harbour Gazette\"" in out, "titles: %r" % out)


@test
def serve_searches():
    hits = search("glacier")
    check(len(hits) == 1 and "Glacier" in hits[0]["title"], "glacier: %r" % hits)
    check("glacier" in (hits[0]["snippet"] or "").lower(), "a snippet: %r" % hits[0])
    # Diacritics and case fold; a title match ranks above a text-only one.
    hits = search("ZURICH")
    check(len(hits) == 1 and "Zürich" in hits[0]["title"], "zurich: %r" % hits)
    hits = search("ferry")
    check([h["title"] for h in hits][:1] == ["New electric ferry enters service across the harbour"]
          and len(hits) == 2, "ferry: title first, then the quay story: %r" % hits)
    # Phrases, exclusions, prefixes, and input that is no syntax at all.
    check(len(search("\"steel net\"")) == 1, "a phrase")
    check(len(search("\"net steel\"")) == 0, "a phrase in order")
    check(len(search("monday")) == 2, "monday: the ferry and the quay")
    hits = search("monday -electric")
    check([h["title"] for h in hits] == ["Quay repairs close the north berth for a month"],
          "an exclusion: %r" % hits)
    check(len(search("rockf*")) == 1, "a prefix")
    for q in ["'; DROP TABLE articles; --", "a & b | !c", "\\", "(((", "'"]:
        search(q)
    check(DB.value("SELECT count(*) FROM articles") == N_ARTICLES, "the table is still there")


@test
def serve_pages():
    status, body = SRV.get("/")
    check(status == 200 and "Mountain railway reopens" in body, "home: %d" % status)
    aid = DB.value("SELECT id FROM articles WHERE url LIKE '%/harbour/market.html'")
    status, body = SRV.get("/articles/%d" % aid)
    check(status == 200 and "customs house" in body, "article page: %d" % status)
    status, body = SRV.get("/api/v1/outlets")
    check(status == 200 and "Harbour Gazette" in body, "outlets: %d %s" % (status, body[:200]))


def main():
    global DB, BASE, FIRST, SRV
    skip_without_server()
    tmp = tempfile.mkdtemp(prefix="td-crawl-db-")
    www = os.path.join(tmp, "www")
    write_www(www)
    DB = StoreDB(tmp, "crawl")
    fx = subprocess.Popen([FIXTURE, "--dir", www], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
    BASE = fx.stdout.readline().strip()
    failed = 0
    try:
        print("1..%d" % len(TESTS))
        print("# back end: %s" % backend())
        for slug in OUTLETS:
            run("add", "--allow-private", "--db", DB.location, BASE + slug + "/feed.xml")
        FIRST = run("crawl", "--once", "--db", DB.location)
        SRV = serve(TIDINGS, DB.location, os.path.join(tmp, "serve.log"))
        try:
            failed += run_tests()
        finally:
            SRV.stop()
    finally:
        fx.send_signal(signal.SIGTERM)
        fx.wait(timeout=20)
        DB.drop()
        subprocess.run(["rm", "-rf", tmp])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
