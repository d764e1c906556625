#!/usr/bin/env python3
"""Stories end to end, through the real binary: three outlets' feeds about
one event (one of them a wire copy of another's article, one whose page is
gone so that it is placed on its title and feed summary) and unrelated
articles, served by the fixture server on loopback; `tidings crawl --once`
into a temporary database places them in stories; `tidings serve
--no-crawl` shows them.  A fourth outlet added later and a second crawl
check that the rebuilt story index keeps every story id.

usage: test_stories.py TIDINGS FIXTURE_SERVER   (prints TAP)
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from email.utils import formatdate

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "harness"))
from pytap import TESTS, check, run_tests, test  # noqa: E402
from storedb import StoreDB, skip_without_server  # noqa: E402
from child import serve  # noqa: E402

TIDINGS = sys.argv[1]
FIXTURE = sys.argv[2]
NOW = int(time.time())

# The event, told three ways (the third is the first one's wire copy), and
# a fourth way added before the second crawl.
DAM = [
    "Engineers at the Miller Dam above Riverton opened every spillway gate on "
    "Tuesday night after the reservoir rose to a record level, and the county "
    "ordered four thousand residents of the Riverton valley to leave their homes.",
    "The Riverton fire chief, Dana Okafor, said the earthen wall of the Miller Dam "
    "had started to seep near its western abutment and that crews were piling "
    "sandbags along the spillway channel through the night.",
    "Shelters opened at Riverton High School and the county fairground. Buses took "
    "residents of the low-lying streets near the river, and the state sent two "
    "helicopters to watch the dam from the air until the water falls.",
]
VALLEY = [
    "Four thousand people were told to leave the Riverton valley late on Tuesday "
    "as the reservoir behind the Miller Dam reached a record height and engineers "
    "opened all of its spillway gates to relieve the pressure.",
    "Fire chief Dana Okafor said seepage had appeared at the dam's western abutment. "
    "Crews spent the night sandbagging the spillway channel while helicopters "
    "watched the earthen wall from the air.",
    "Evacuees from the river streets were bused to shelters at Riverton High School "
    "and the fairground; officials said nobody should return before the reservoir "
    "level falls.",
]
FOURTH = [
    "Residents of the Riverton valley spent a second night in shelters on Wednesday "
    "while engineers kept every spillway gate of the Miller Dam open and the "
    "reservoir level began, slowly, to fall.",
    "Fire chief Dana Okafor said the seepage at the western abutment of the dam had "
    "not grown, and that sandbag crews and helicopters would keep watch over the "
    "earthen wall until the evacuation order for four thousand residents is lifted.",
]

OUTLETS = {
    "harbor": ("Harbor Times", [
        ("dam", "Miller Dam spillways opened as Riverton valley is evacuated", DAM, 3),
        ("bikes", "City council approves protected bike lanes on Main Street", [
            "The city council voted seven to two on Monday to build protected bike lanes "
            "along the length of Main Street, removing one lane of parking on each side.",
            "Construction starts in the spring. Shop owners asked for loading zones, which "
            "the plan now includes at every second block.",
        ], 30),
    ]),
    "valley": ("Valley Post", [
        ("evacuation", "Riverton valley evacuated as Miller Dam reaches record level", VALLEY, 2),
        ("gone-shelters", "Riverton shelters fill as Miller Dam evacuation goes on", [
            "Shelters at Riverton High School and the county fairground filled overnight as "
            "four thousand residents of the Riverton valley waited for engineers at the "
            "Miller Dam to lower the reservoir; fire chief Dana Okafor said sandbag crews "
            "were still at work along the spillway channel.",
        ], 0.5),
        ("bakery", "Family bakery wins national sourdough prize", [
            "A family bakery on Elm Street won first prize for sourdough at the national "
            "baking championship, beating more than two hundred entries from across the country.",
            "The owners said the starter they use was begun by a grandmother in 1962 and "
            "has been fed every day since.",
        ], 20),
    ]),
    "coast": ("Coast Wire", [
        ("wire-dam", "Miller Dam spillways opened as Riverton valley is evacuated", DAM, 1),
        ("chess", "Teenager takes the regional chess title in a final-round upset", [
            "A sixteen-year-old from the coast won the regional chess championship on "
            "Sunday, beating the top seed with the black pieces in the final round.",
            "She now qualifies for the national championship in the summer, where she "
            "will be the youngest player in the field.",
        ], 40),
    ]),
}
LATER = {"ridge": ("Ridge Courier", [
    ("second-night", "Riverton evacuees spend second night in shelters near Miller Dam", FOURTH, 0),
])}


def page(title, paras, outlet, hours_ago):
    body = "\n".join("<p>%s</p>" % p for p in paras)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>"
            "<meta property=\"og:title\" content=\"%s\"></head><body><article><h1>%s</h1>\n%s\n"
            "</article><footer>%s</footer></body></html>\n" % (title, title, title, body, outlet))


def write_outlet(www, slug, name, items):
    os.makedirs(os.path.join(www, slug), exist_ok=True)
    entries = []
    for key, title, paras, hours_ago in items:
        # A "gone" page is never written: its extraction fails (404).
        if not key.startswith("gone"):
            with open(os.path.join(www, slug, key + ".html"), "w") as f:
                f.write(page(title, paras, name, hours_ago))
        entries.append(
            "<item><title>%s</title><link>/%s/%s.html</link><guid isPermaLink=\"false\">%s-%s</guid>"
            "<pubDate>%s</pubDate><description>%s</description></item>"
            % (title, slug, key, slug, key, formatdate(NOW - hours_ago * 3600 - 60, usegmt=True),
               " ".join(paras)))
    with open(os.path.join(www, slug, "feed.xml"), "w") as f:
        f.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                "<title>%s</title><link>/%s/</link><description>%s</description>%s"
                "</channel></rss>\n" % (name, slug, name, "".join(entries)))




def run(*args):
    p = subprocess.run([TIDINGS, *args], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, "tidings %s: rc %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def articles(db):
    """key -> (id, story_id, duplicate_of) for every stored article."""
    out = {}
    for id_, url, story, dup in db.rows("SELECT id, url, story_id, duplicate_of FROM articles"):
        out[url.rsplit("/", 1)[-1][:-len(".html")]] = (id_, story, dup)
    return out


def section(body, start, end):
    i = body.find(start)
    check(i >= 0, "no %r in page" % start)
    j = body.find(end, i)
    return body[i:j if j > 0 else len(body)]


def links(html):
    return [int(x) for x in re.findall(r'href="/articles/(\d+)"', html)]


SRV = None
A = {}
PLACED = None


@test
def crawl_places_stories():
    a = A
    check(PLACED == len(a) == 7, "crawl --once reports %r placed of %d" % (PLACED, len(a)))
    dam, valley, wire = a["dam"][1], a["evacuation"][1], a["wire-dam"][1]
    check(dam and dam == valley == wire, "the three versions share a story: %r" % a)
    check(a["wire-dam"][2] == a["dam"][0], "the wire copy points at the original: %r" % a)
    check(a["dam"][2] is None and a["evacuation"][2] is None, "originals are no copies")
    check(a["gone-shelters"][1] == dam, "a failed extraction is placed on its title and "
          "feed summary: %r" % (a["gone-shelters"],))
    others = {a[k][1] for k in ("bikes", "bakery", "chess")}
    check(dam not in others and len(others) == 3, "unrelated articles stand alone: %r" % a)


@test
def home_top_story_lists_outlets():
    status, body = SRV.get("/")
    check(status == 200, "home: %d" % status)
    top = section(body, "<section class=\"top-stories\"", "</section>")
    story = A["dam"][1]
    check("href=\"/stories/%d\"" % story in top, "top story links to its page")
    meta = re.search(r'href="/stories/%d">[^<]*</a></h3>\n<p class="meta">(.*?)</p>' % story, top)
    check(meta, "top story has a meta line")
    for name in ("Harbor Times", "Valley Post"):
        check(name in meta.group(1), "%s named in %r" % (name, meta.group(1)))
    check("and 1 more" in meta.group(1), "the third outlet counted: %r" % meta.group(1))
    check("<time datetime=" in meta.group(1), "relative time")
    check(top.find("Latest") < 0 and body.find("<h2>Latest</h2>") > body.find("top-stories"),
          "top stories come above the latest list")


@test
def latest_list_shows_the_copy_once():
    for path in ("/", "/latest"):
        status, body = SRV.get(path)
        main = section(body, "<h2>Latest</h2>" if path == "/" else "<h1>Latest</h1>", "</main>")
        ids = links(main)
        check(ids.count(A["dam"][0]) == 1, "%s: the original once: %r" % (path, ids))
        check(A["wire-dam"][0] not in ids, "%s: the copy not listed: %r" % (path, ids))
        check("Also published by Coast Wire" in main, "%s: the copy's outlet named" % path)


@test
def search_shows_the_original_once():
    # "spillway" is in the original, its wire copy (the same text) and the
    # other versions: the copy is folded into its original.
    status, body = SRV.get("/search?q=spillway")
    check(status == 200, "search: %d" % status)
    ids = links(section(body, "<h1>Search</h1>", "</main>"))
    check(ids.count(A["dam"][0]) == 1, "the original once: %r" % ids)
    check(A["wire-dam"][0] not in ids, "the copy not listed: %r" % ids)
    check(A["evacuation"][0] in ids, "another outlet's own version listed: %r" % ids)
    check("Also published by Coast Wire" in body, "the copy's outlet named")
    status, body = SRV.get("/api/v1/search?q=spillway&limit=50")
    check(status == 200, "api search: %d" % status)
    ids = [x["id"] for x in json.loads(body)["results"]]
    check(ids.count(A["dam"][0]) == 1 and A["wire-dam"][0] not in ids,
          "the API folds the copy too: %r" % ids)
    # Within the copy's own outlet, the copy is the result.
    status, body = SRV.get("/api/v1/search?q=spillway+outlet:%22Coast+Wire%22")
    ids = [x["id"] for x in json.loads(body)["results"]]
    check(ids == [A["wire-dam"][0]], "outlet:\"Coast Wire\" finds its copy: %r" % ids)


@test
def story_page_lists_every_version():
    story = A["dam"][1]
    status, body = SRV.get("/stories/%d" % story)
    check(status == 200, "story page: %d" % status)
    check("<h1>Miller Dam spillways opened as Riverton valley is evacuated</h1>" in body
          or "<h1>Riverton valley evacuated as Miller Dam reaches record level</h1>" in body,
          "representative headline")
    timeline = section(body, "<h2>Timeline</h2>", "</ol>")
    ids = links(timeline)
    check(ids == [A[k][0] for k in ("dam", "evacuation", "wire-dam", "gone-shelters")],
          "every version, oldest first: %r" % ids)
    outlets = re.findall(r'<li><a href="/outlets/(\d+)">(?:<img[^>]*>)?([^<]+)</a></li>',
                         section(body, "<h2>Outlets</h2>", "</ul>"))
    check(sorted(n for _, n in outlets) == ["Coast Wire", "Harbor Times", "Valley Post"],
          "each outlet once, linked: %r" % outlets)
    for oid, name in outlets:
        status, page = SRV.get("/outlets/%s" % oid)
        check(status == 200 and name in page, "the link leads to %s's page" % name)
    check("first seen <time datetime=" in body, "first seen")
    status, body = SRV.get("/stories/999999")
    check(status == 404, "unknown story: %d" % status)
    status, body = SRV.get("/stories/abc")
    check(status == 404, "malformed story id: %d" % status)


@test
def related_articles_come_from_the_story():
    status, body = SRV.get("/articles/%d" % A["dam"][0])
    check(status == 200, "article: %d" % status)
    check("href=\"/stories/%d\">3 outlets cover this story" % A["dam"][1] in body, "story link")
    rel = links(section(body, "Related articles", "</aside>"))
    check(rel[:2] == [A["gone-shelters"][0], A["evacuation"][0]],
          "the rest of the story first, newest first: %r" % rel)
    check(A["wire-dam"][0] not in rel, "never its own copy: %r" % rel)
    status, body = SRV.get("/articles/%d" % A["wire-dam"][0])
    rel = links(section(body, "Related articles", "</aside>"))
    check(A["dam"][0] not in rel and A["evacuation"][0] in rel, "the copy's related: %r" % rel)


@test
def api_carries_stories():
    story = A["dam"][1]
    status, body = SRV.get("/api/v1/stories?limit=5")
    check(status == 200, "stories: %d" % status)
    j = json.loads(body)
    check(j["stories"][0]["id"] == story, "the top story first: %r" % j["stories"][:1])
    check(j["stories"][0]["n_outlets"] == 3 and j["stories"][0]["n_articles"] == 4, "counts")
    status, body = SRV.get("/api/v1/stories/%d" % story)
    j = json.loads(body)
    check(status == 200 and {x["id"] for x in j["articles"]} ==
          {A[k][0] for k in ("dam", "evacuation", "wire-dam", "gone-shelters")},
          "story members: %r" % j)
    copy = [x for x in j["articles"] if x["id"] == A["wire-dam"][0]][0]
    check(copy["duplicate_of"] == A["dam"][0], "duplicate_of in the API")
    status, body = SRV.get("/api/v1/articles/%d" % A["evacuation"][0])
    check(json.loads(body)["story_id"] == story, "story_id on articles")
    status, body = SRV.get("/api/v1/stories/424242")
    check(status == 404, "unknown story in the API: %d" % status)
    status, body = SRV.get("/api/v1/stories?limit=0")
    check(status == 400, "bad limit: %d" % status)


@test
def atom_feeds_of_stories():
    ns = "{http://www.w3.org/2005/Atom}"
    status, body = SRV.get("/stories.atom")
    check(status == 200, "stories.atom: %d" % status)
    feed = ET.fromstring(body)
    ids = [e.find(ns + "id").text for e in feed.findall(ns + "entry")]
    check(any(i.endswith("/stories/%d" % A["dam"][1]) for i in ids), "top story entry: %r" % ids)
    status, body = SRV.get("/stories/%d/feed.atom" % A["dam"][1])
    feed = ET.fromstring(body)
    check(len(feed.findall(ns + "entry")) == 4, "a story feed entry per version")


def main():
    global SRV, A, PLACED
    skip_without_server()
    tmp = tempfile.mkdtemp(prefix="td-stories-")
    www = os.path.join(tmp, "www")
    store = StoreDB(tmp, "t")
    db = store.location
    for slug, (name, items) in OUTLETS.items():
        write_outlet(www, slug, name, items)
    fx = subprocess.Popen([FIXTURE, "--dir", www], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True)
    base = fx.stdout.readline().strip()
    failed = 0
    try:
        for slug in OUTLETS:
            run("add", "--allow-private", "--db", db, base + slug + "/feed.xml")
        out = run("crawl", "--once", "--db", db).stdout
        A = articles(store)
        m = re.search(r"(\d+) placed in stories", out)
        PLACED = int(m.group(1)) if m else None
        SRV = serve(TIDINGS, db, os.path.join(tmp, "serve.log"))
        print("1..%d" % (len(TESTS) + 1))
        failed += run_tests()
        SRV.stop()
        # A new outlet, a second crawl: the index is rebuilt from the store
        # and every story id stays; the new version joins the story.
        n = len(TESTS) + 1
        try:
            for slug, (name, items) in LATER.items():
                write_outlet(www, slug, name, items)
                run("add", "--allow-private", "--db", db, base + slug + "/feed.xml")
            run("crawl", "--once", "--db", db)
            B = articles(store)
            for k, v in A.items():
                check(B[k] == v, "%s changed: %r -> %r" % (k, v, B[k]))
            check(B["second-night"][1] == A["dam"][1], "the new version joins: %r" % B)
            print("ok %d - rebuild_keeps_story_ids" % n)
        except Exception:
            failed += 1
            print("not ok %d - rebuild_keeps_story_ids" % n)
            for line in traceback.format_exc().splitlines():
                print("# " + line)
    finally:
        fx.send_signal(signal.SIGTERM)
        fx.wait(timeout=20)
        store.drop()
        subprocess.run(["rm", "-rf", tmp])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
