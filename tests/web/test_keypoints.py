#!/usr/bin/env python3
"""Integration test for key points and tags, through the real binary.

The fixture server serves tests/web/www-keypoints on loopback: a feed whose
entries carry categories (one of them an XSS attempt) and link to two
article pages and to one page that does not exist.  `tidings crawl --once`
fills a temporary database; `tidings serve --no-crawl` then serves it and
the test reads the pages, the Atom feed and the JSON API over HTTP.

usage: test_keypoints.py TIDINGS FIXTURE_SERVER WWW_DIR   (prints TAP)
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from pytap import TESTS, check, run_tests, test  # noqa: E402
from storedb import StoreDB, skip_without_server  # noqa: E402
from child import Child, serve  # noqa: E402

TIDINGS, FIXTURE, WWW = sys.argv[1:4]
ATOM = "{http://www.w3.org/2005/Atom}"
RAIL = "Council approves light rail line across Harbour City"
BAKERY = "Old Town bakery marks fifty years with free bread"
NOTICE = "Notice of a road closure"
XSS_TERM = '<script>alert("tag")</script><img src=x onerror=alert(1)>'


def get(path):
    return SRV.get(path)


def api(path):
    status, body = get(path)
    check(status == 200, "%s: %d %s" % (path, status, body[:200]))
    return json.loads(body)


def article_ids():
    return {a["title"]: a["id"] for a in api("/api/v1/articles?limit=100")["articles"]}


def keypoint_items(page):
    """The <li> texts of the Key points section, or None when there is none."""
    m = re.search(r'<section class="keypoints"[^>]*>(.*?)</section>', page, re.S)
    if not m:
        return None
    return [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", m.group(1), re.S)]


@test
def article_page_has_key_points_from_its_text():
    ids = article_ids()
    text = api("/api/v1/articles/%d" % ids[RAIL])["text"]
    status, page = get("/articles/%d" % ids[RAIL])
    check(status == 200, "article page: %d" % status)
    items = keypoint_items(page)
    check(items is not None, "no Key points section")
    check(">Key points</h2>" in page, "no Key points heading")
    check(3 <= len(items) <= 5, "key points: %r" % items)
    # Each is a sentence of the article, and they come in article order.
    flat = " ".join(text.split())
    pos = [flat.find(" ".join(i.split())) for i in items]
    check(all(p >= 0 for p in pos), "a key point is not in the text: %r" % items)
    check(pos == sorted(pos), "key points out of article order: %r" % pos)
    check(all(i.rstrip().endswith(".") for i in items), "not whole sentences: %r" % items)
    # Placed after the body and before Listen.
    body, kp, listen = (page.find('<div class="body">'), page.find('class="keypoints"'),
                        page.find('class="listen"'))
    check(0 <= body < kp < listen, "section order body=%d keypoints=%d listen=%d"
          % (body, kp, listen))


@test
def article_without_text_has_no_key_points_section():
    ids = article_ids()
    status, page = get("/articles/%d" % ids[NOTICE])
    check(status == 200, "article page: %d" % status)
    check(keypoint_items(page) is None, "a Key points section without text")
    check("Key points" not in page, "placeholder text for key points")
    check(api("/api/v1/articles/%d" % ids[NOTICE])["keypoints"] == [], "API key points")


@test
def tags_link_to_tag_pages_that_list_the_article():
    ids = article_ids()
    status, page = get("/articles/%d" % ids[RAIL])
    links = dict((html.unescape(t), s) for s, t in
                 re.findall(r'<a href="/tags/([^"]+)" rel="tag">([^<]*)</a>', page))
    check(links.get("Transport") == "transport", "tag links: %r" % links)
    check(links.get("City Hall") == "city-hall", "tag links: %r" % links)
    status, tpage = get("/tags/city-hall")
    check(status == 200, "/tags/city-hall: %d" % status)
    check("<h1>City Hall</h1>" in tpage, "tag page heading")
    listed = re.findall(r'href="/articles/(\d+)"', tpage)
    check(str(ids[RAIL]) in listed and str(ids[BAKERY]) in listed, "tag page lists %r" % listed)
    check(str(ids[NOTICE]) not in listed, "an untagged article on the tag page")
    check(get("/tags/no-such-tag")[0] == 404, "unknown tag is not a 404")
    # Paged like the outlet pages: one per page, then "Older".
    status, feed = get("/tags/city-hall/feed.atom")
    check(status == 200, "tag feed: %d" % status)
    entries = ET.fromstring(feed).findall(ATOM + "entry")
    check([e.find(ATOM + "title").text for e in entries] == [RAIL, BAKERY],
          "tag feed entries")
    check('href="/tags/city-hall/feed.atom"' in tpage, "tag page does not link its feed")
    status, home = get("/")
    check(re.search(r'<nav class="topics"[^>]*>.*href="/tags/city-hall"', home),
          "popular tag not in the home navigation")


@test
def api_carries_key_points_and_tags():
    ids = article_ids()
    art = api("/api/v1/articles/%d" % ids[RAIL])
    check(isinstance(art["keypoints"], list) and 3 <= len(art["keypoints"]) <= 5,
          "keypoints: %r" % art.get("keypoints"))
    check(all(isinstance(k, str) and k in art["text"] for k in art["keypoints"]),
          "keypoints not from the text")
    tags = {t["slug"]: t for t in art["tags"]}
    check(tags["transport"] == {"term": "Transport", "slug": "transport", "kind": "category"},
          "tag object: %r" % tags.get("transport"))
    check(any(t["kind"] == "entity" for t in art["tags"]), "no entity tags: %r" % art["tags"])
    listed = api("/api/v1/articles")["articles"]
    check(all("keypoints" in a and "tags" in a for a in listed), "list objects lack them")
    popular = api("/api/v1/tags")["tags"]
    check(popular[0]["slug"] == "city-hall" and popular[0]["articles"] == 2,
          "popular tags: %r" % popular[:2])
    one = api("/api/v1/tags/city-hall?limit=1")
    check(one["tag"]["term"] == "City Hall", "tag: %r" % one["tag"])
    check([a["id"] for a in one["articles"]] == [ids[RAIL]], "first page")
    check(one["next"] and "/api/v1/tags/city-hall?limit=1&after=" in one["next"],
          "next: %r" % one["next"])
    nxt = one["next"].split(str(SRV.port), 1)[1]
    check([a["id"] for a in api(nxt)["articles"]] == [ids[BAKERY]], "second page")
    status, body = get("/api/v1/tags/nope")
    check(status == 404 and json.loads(body)["error"], "unknown tag in the API: %d" % status)


@test
def story_key_points_come_once_from_its_articles():
    ids = article_ids()
    art = api("/api/v1/articles/%d" % ids[RAIL])
    check(art["story_id"], "the article was not placed in a story")
    story = api("/api/v1/stories/%d" % art["story_id"])
    points = story["keypoints"]
    members = [api("/api/v1/articles/%d" % a["id"]) for a in story["articles"]]
    pool = [k for m in members for k in m["keypoints"]]
    check(1 <= len(points) <= 5, "story key points: %r" % points)
    check(all(p in pool for p in points), "a story key point is no article's: %r" % points)
    check(len(set(points)) == len(points), "a story key point repeats: %r" % points)
    status, page = get("/stories/%d" % art["story_id"])
    check(status == 200, "story page: %d" % status)
    check(keypoint_items(page) == points, "story page key points differ from the API's")


@test
def search_by_tag():
    ids = article_ids()
    status, page = get("/search?q=tag%3A%22City+Hall%22")
    found = set(re.findall(r'href="/articles/(\d+)"', page))
    check(status == 200 and found == {str(ids[RAIL]), str(ids[BAKERY])}, "tag: only %r" % found)
    res = api("/api/v1/search?q=bread+tag%3Acity-hall")["results"]
    check([r["id"] for r in res] == [ids[BAKERY]], "words and tag: %r" % res)
    res = api("/api/v1/search?q=tag%3ATransport+bread")["results"]
    check(res == [], "tag filter ignored: %r" % res)
    status, page = get("/search?q=tag%3Anothing-here")
    check(status == 200 and "No articles are tagged" in page, "unknown tag notice")


@test
def plain_search_finds_tag_terms():
    # "Notices" and "Food & Drink" are feed categories whose words appear in
    # no title or text: a plain search finds the articles filed under them.
    ids = article_ids()
    res = api("/api/v1/search?q=notices")["results"]
    check([r["id"] for r in res] == [ids[NOTICE]], "category word: %r" % res)
    status, page = get("/search?q=drink")
    found = set(re.findall(r'href="/articles/(\d+)"', page))
    check(status == 200 and found == {str(ids[BAKERY])}, "drink: %r" % found)
    res = api("/api/v1/search?q=notices+-closure")["results"]
    check(res == [], "an excluded title word still excludes: %r" % res)


@test
def xss_in_a_category_renders_inert():
    ids = article_ids()
    slug = "script-alert-tag-script-img-src-x-onerror-alert-1"
    for path in ("/articles/%d" % ids[RAIL], "/tags/" + slug, "/tags", "/"):
        status, page = get(path)
        check(status == 200, "%s: %d" % (path, status))
        check("<script>" not in page and "<img src=x" not in page, "raw markup on " + path)
    status, page = get("/tags/" + slug)
    check(html.escape(XSS_TERM, quote=False) in page.replace("&quot;", '"'),
          "the term is not shown escaped")
    art = api("/api/v1/articles/%d" % ids[RAIL])
    check(any(t["term"] == XSS_TERM for t in art["tags"]), "the term is not kept as text")
    status, body = get("/api/v1/articles/%d" % ids[RAIL])
    check("<script>" not in body, "raw markup in JSON")


def main():
    global SRV
    skip_without_server()
    with tempfile.TemporaryDirectory() as tmp:
        store = StoreDB(tmp, "kp")
        db = store.location
        fixture = Child([FIXTURE, "--dir", WWW], os.path.join(tmp, "fixture.log"))
        srv = None
        try:
            feed = "http://127.0.0.1:%d/feed.xml" % fixture.port
            subprocess.run([TIDINGS, "add", "--db", db, "--allow-private", feed],
                           capture_output=True, text=True, check=True, timeout=60)
            subprocess.run([TIDINGS, "crawl", "--once", "--db", db],
                           capture_output=True, text=True, check=True, timeout=120)
            srv = SRV = serve(TIDINGS, db, os.path.join(tmp, "serve.log"))
            print("1..%d" % len(TESTS))
            failed = run_tests()
        finally:
            if srv:
                srv.stop()
            fixture.stop()
            store.drop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
