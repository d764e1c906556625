#!/usr/bin/env python3
"""Feed conformance: run `tidings parse-feed --json` over the public suites in
../shared/bench/feeds and score it.  Prints TAP.

  conformance.py TIDINGS SHARED_DIR [--verbose]     (--verbose lists every failure)

Suites (read each one's PROVENANCE.md):
  gofeed     testdata/parser/{rss,atom,json}: feed -> expected JSON of gofeed's
             format-specific structs.  Expected keys are mapped onto our
             feedparser-named output; keys with no counterpart in our model
             (textInput, cloud, extensions, ...) are counted as unsupported,
             not failed.  A case passes when every mapped key matches.  Our
             output is the production one (HTML sanitized, relative URLs
             resolved), compared with gofeed's unsanitized values.
  feedparser manifest.jsonl: every `path OP literal` assertion is evaluated on
             our output (feedparser key aliases applied); the sanitize
             category is scored separately.
  feed-rs    real-world fixtures: entry count and entry titles against the
             .serde.json dump.
Every file of the three suites must parse without a crash (in the ASan build
this also catches leaks: the sanitizer makes the process fail).  Each pass
rate must stay at or above the floor below (a regression guard).
"""
import glob
import html.parser
import json
import re
import os
import subprocess
import sys
import urllib.parse

# Regression guard: the rates reached so far (raise them as the parser improves).
FLOORS = {
    "gofeed parser": 0.977,
    "feedparser non-sanitize": 0.98,
    "feedparser strict": 0.922,
    "feed-rs": 1.0,
}

BATCH = 200


def run(tidings, files, extra=()):
    """Parse files in batches; returns {file: parsed json or None}, crashes."""
    out, crashes = {}, []
    for i in range(0, len(files), BATCH):
        chunk = files[i:i + BATCH]
        p = subprocess.run([tidings, "parse-feed", "--json", *extra, "--", *chunk],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        lines = p.stdout.decode("utf-8", "replace").split("\n")
        if p.returncode not in (0, 1) or len(lines) < len(chunk):
            crashes.append("%s (exit %d): %s" % (chunk[0], p.returncode,
                                                  p.stderr.decode("utf-8", "replace")[-2000:]))
            continue
        for f, line in zip(chunk, lines):
            try:
                doc = json.loads(line)
            except ValueError:
                crashes.append("%s: bad JSON output" % f)
                continue
            out[f] = None if "error" in doc else doc
    return out, crashes


def empty(v):
    return v in (None, "", [], {}, 0, False)


def norm(v):
    if isinstance(v, str):
        return v.strip()
    return v


# ---- gofeed ----------------------------------------------------------------

GO_VERSION = {"rss090": "0.9", "rss091u": "0.91", "rss091n": "0.91", "rss092": "0.92",
              "rss093": "0.93", "rss094": "0.94", "rss20": "2.0", "rss10": "1.0",
              "atom03": "0.3", "atom10": "1.0", "rss": "", "atom": ""}


def go_person(p):
    return {"name": p.get("name", ""), "email": p.get("email", ""), "uri": p.get("href", "")}


def go_link(l):
    return {"href": l.get("href", ""), "rel": l.get("rel", ""), "type": l.get("type", ""),
            "title": l.get("title", ""), "length": str(l["length"]) if "length" in l else ""}


class Compare:
    def __init__(self):
        self.ok = True
        self.mismatch = []
        self.unsupported = 0

    def eq(self, what, exp, got):
        if empty(exp) and empty(got):
            return
        if norm(exp) != norm(got):
            self.ok = False
            self.mismatch.append("%s: expected %r got %r" % (what, exp, got))

    def skip(self, exp):
        if not empty(exp):
            self.unsupported += 1


def cmp_list(c, what, exp, got, fn):
    exp = exp or []
    got = got or []
    if len(exp) != len(got):
        c.eq(what + " count", len(exp), len(got))
        return
    for i, (e, g) in enumerate(zip(exp, got)):
        fn(c, "%s[%d]" % (what, i), e, g)


def cmp_dict(c, what, exp, got, mapping):
    exp = exp or {}
    for k, v in exp.items():
        if k in mapping:
            m = mapping[k]
            if callable(m):
                m(c, what + "." + k, v, got)
            else:
                c.eq(what + "." + k, v, got.get(m))
        else:
            c.skip(v)


def date_cmp(field):
    def f(c, what, v, got):
        c.eq(what, v, got.get(field + "_raw"))
    return f


def parsed_cmp(field):
    def f(c, what, v, got):
        c.eq(what, v.replace("+00:00", "Z") if isinstance(v, str) else v, got.get(field))
    return f


def tags_cmp(c, what, v, got):
    cmp_list(c, what, v, got.get("tags"),
             lambda c, w, e, g: (c.eq(w + ".value", e.get("value", e.get("term")), g.get("term")),
                                 c.eq(w + ".scheme", e.get("domain", e.get("scheme")),
                                      g.get("scheme"))))


def rss_case(c, exp, got):
    feed = got.get("feed", {})
    cmp_dict(c, "", exp, feed, {
        "version": lambda c, w, v, g: c.eq(w, v, GO_VERSION.get(got.get("version"), "?")),
        "title": "title", "description": "subtitle", "link": "link", "language": "language",
        "copyright": "rights", "generator": "generator", "managingEditor": "author",
        "ttl": lambda c, w, v, g: c.eq(w, v, str(g["ttl"]) if "ttl" in g else ""),
        "image": lambda c, w, v, g: cmp_dict(c, w, v, g.get("image", {}), {
            "url": "href", "title": "title", "link": "link"}),
        "categories": tags_cmp,
        "pubDate": date_cmp("published"), "pubDateParsed": parsed_cmp("published"),
        "lastBuildDate": date_cmp("updated"), "lastBuildDateParsed": parsed_cmp("updated"),
        "items": lambda c, w, v, g: cmp_list(c, w, v, got.get("entries"), rss_item),
    })


def rss_item(c, what, exp, got):
    def enclosure(c, w, v, g):
        encs = g.get("enclosures") or [{}]
        cmp_dict(c, w, v, encs[0], {"url": "href", "type": "type",
                                    "length": lambda c, w, v, g: c.eq(w, v, str(g.get("length", "")))})
    cmp_dict(c, what, exp, got, {
        "title": "title", "description": "summary", "link": "link", "author": "author",
        "comments": "comments",
        "content": lambda c, w, v, g: c.eq(w, v, (g.get("content") or [{}])[0].get("value")),
        "guid": lambda c, w, v, g: cmp_dict(c, w, v, g, {"value": "id"}),
        "categories": tags_cmp, "enclosure": enclosure,
        "enclosures": lambda c, w, v, g: cmp_list(
            c, w, v, g.get("enclosures"),
            lambda c, w, e, x: cmp_dict(c, w, e, x, {
                "url": "href", "type": "type",
                "length": lambda c, w, v, g: c.eq(w, v, str(g.get("length", "")))})),
        "pubDate": date_cmp("published"), "pubDateParsed": parsed_cmp("published"),
    })


def atom_case(c, exp, got):
    feed = got.get("feed", {})
    cmp_dict(c, "", exp, feed, {
        "version": lambda c, w, v, g: c.eq(w, v, GO_VERSION.get(got.get("version"), "?")),
        "title": "title", "subtitle": "subtitle", "rights": "rights", "id": "id",
        "language": "language", "icon": "icon",
        "logo": lambda c, w, v, g: c.eq(w, v, g.get("image", {}).get("href")),
        "generator": lambda c, w, v, g: cmp_dict(c, w, v, g, {"value": "generator"}),
        "updated": date_cmp("updated"), "updatedParsed": parsed_cmp("updated"),
        "links": lambda c, w, v, g: cmp_list(c, w, v, g.get("links"), atom_link),
        "authors": lambda c, w, v, g: cmp_list(c, w, v, g.get("authors"), atom_person),
        "categories": tags_cmp,
        "entries": lambda c, w, v, g: cmp_list(c, w, v, got.get("entries"), atom_entry),
    })


def atom_link(c, what, e, g):
    gl = go_link(g)
    for k, v in e.items():
        if k in gl:
            c.eq(what + "." + k, v, gl[k])
        else:
            c.skip(v)


def atom_person(c, what, e, g):
    gp = go_person(g)
    for k, v in e.items():
        c.eq(what + "." + k, v, gp.get(k))


def atom_entry(c, what, exp, got):
    cmp_dict(c, what, exp, got, {
        "title": "title", "summary": "summary", "id": "id", "rights": "rights",
        "content": lambda c, w, v, g: cmp_dict(c, w, v, (g.get("content") or [{}])[0],
                                               {"value": "value"}),
        "links": lambda c, w, v, g: cmp_list(c, w, v, g.get("links"), atom_link),
        "authors": lambda c, w, v, g: cmp_list(c, w, v, g.get("authors"), atom_person),
        "contributors": lambda c, w, v, g: cmp_list(c, w, v, g.get("contributors"), atom_person),
        "categories": lambda c, w, v, g: cmp_list(
            c, w, v, g.get("tags"), lambda c, w, e, x: cmp_dict(c, w, e, x, {
                "term": "term", "scheme": "scheme", "label": "label"})),
        "updated": date_cmp("updated"), "updatedParsed": parsed_cmp("updated"),
        "published": date_cmp("published"), "publishedParsed": parsed_cmp("published"),
    })


def json_case(c, exp, got):
    feed = got.get("feed", {})

    def content(kind):
        def f(c, w, v, g):
            vals = [x["value"] for x in g.get("content", []) if x.get("type") == kind]
            c.eq(w, v, vals[0] if vals else "")
        return f
    cmp_dict(c, "", exp, feed, {
        "version": lambda c, w, v, g: c.eq(w, {"1.0": "1"}.get(v, v).rstrip("/").rsplit("/", 1)[-1],
                                           {"json10": "1", "json11": "1.1"}.get(got.get("version"))),
        "title": "title", "home_page_url": "link", "feed_url": "self", "description": "subtitle",
        "icon": lambda c, w, v, g: c.eq(w, v, g.get("image", {}).get("href")),
        "favicon": "icon", "language": "language",
        "author": lambda c, w, v, g: cmp_dict(c, w, v, (g.get("authors") or [{}])[0], {
            "name": "name", "url": "href"}),
        "authors": lambda c, w, v, g: cmp_list(c, w, v, g.get("authors"), lambda c, w, e, x: cmp_dict(
            c, w, e, x, {"name": "name", "url": "href"})),
        "items": lambda c, w, v, g: cmp_list(c, w, v, got.get("entries"), lambda c, w, e, x: cmp_dict(
            c, w, e, x, {
                "id": "id", "url": "link", "title": "title",
                "content_html": content("text/html"), "content_text": content("text/plain"),
                "summary": lambda c, w, v, g: c.eq(w, v, g.get("summary") if "summary" in g and
                                                   not g.get("content") else (
                    g.get("summary") if g.get("summary") not in
                    [y["value"] for y in g.get("content", [])] else "")),
                "image": lambda c, w, v, g: c.eq(w, v, (g.get("media_thumbnail") or [{}])[0].get("url")),
                "date_published": date_cmp("published"), "date_modified": lambda c, w, v, g: c.eq(
                    w, v, g.get("updated_raw") if g.get("updated_raw") != g.get("published_raw") or
                    v == g.get("published_raw") else ""),
                "tags": lambda c, w, v, g: c.eq(w, v, [t["term"] for t in g.get("tags", [])]),
                "author": lambda c, w, v, g: cmp_dict(c, w, v, (g.get("authors") or [{}])[0], {
                    "name": "name", "url": "href"}),
                "attachments": lambda c, w, v, g: cmp_list(c, w, v, g.get("enclosures"), lambda c, w, e, x: cmp_dict(
                    c, w, e, x, {"url": "href", "mime_type": "type",
                                 "size_in_bytes": lambda c, w, v, g: c.eq(
                                     w, str(v) if v is not None else v, g.get("length"))})),
            })),
    })


def gofeed(tidings, root, verbose):
    cases = []
    for kind in ("rss", "atom"):
        for x in sorted(glob.glob(os.path.join(root, "testdata/parser", kind, "*.xml"))):
            exp = x[:-4] + ".json"
            if os.path.exists(exp):
                cases.append((kind, x, exp))
    for x in sorted(glob.glob(os.path.join(root, "testdata/parser/json/*.json"))):
        if not x.endswith("_expected.json") and os.path.exists(x[:-5] + "_expected.json"):
            cases.append(("json", x, x[:-5] + "_expected.json"))
    parsed, crashes = run(tidings, [c[1] for c in cases], [])
    passed, unsupported, failures = 0, 0, []
    for kind, x, exp in cases:
        got = parsed.get(x)
        c = Compare()
        if got is None:
            c.ok = False
            c.mismatch.append("did not parse")
        else:
            {"rss": rss_case, "atom": atom_case, "json": json_case}[kind](c, json.load(open(exp)), got)
        unsupported += c.unsupported
        if c.ok:
            passed += 1
        else:
            failures.append("%s: %s" % (os.path.relpath(x, root), "; ".join(c.mismatch[:3])))
    if verbose:
        for f in failures:
            print("#   " + f)
    return passed, len(cases), unsupported, crashes, [c[1] for c in cases]


# ---- feedparser ------------------------------------------------------------

ALIASES = {"channel": "feed", "items": "entries", "guid": "id", "date": "updated",
           "date_parsed": "updated_parsed", "url": "href", "modified": "updated",
           "modified_parsed": "updated_parsed", "issued": "published",
           "issued_parsed": "published_parsed", "copyright": "rights",
           "copyright_detail": "rights_detail", "tagline": "subtitle",
           "tagline_detail": "subtitle_detail", "info": "subtitle", "info_detail": "subtitle_detail"}
DATES = {"updated", "published", "created", "expired"}
MISSING = object()


def resolve(doc, path):
    cur = doc
    parent_is_feed = False
    for i, p in enumerate(path):
        if isinstance(p, int):
            if not isinstance(cur, list) or p >= len(cur):
                return MISSING
            cur = cur[p]
            continue
        if not isinstance(cur, dict):
            return MISSING
        key = ALIASES.get(p, p)
        if key == "description":
            key = "subtitle" if parent_is_feed else "summary"
        elif key == "description_detail":
            key = "subtitle_detail" if parent_is_feed else "summary_detail"
        # FeedParserDict looks an aliased key up under its own name when the
        # alias is absent (media_thumbnail[0]['url'], textinput['description']).
        if key != p and key not in cur and p in cur:
            key = p
        if key in DATES and i == len(path) - 1:
            key += "_raw"
        if key == "license":
            links = [l for l in cur.get("links", []) if l.get("rel") == "license"]
            return links[0].get("href") if links else MISSING
        parent_is_feed = key == "feed"
        if key not in cur:
            return MISSING
        cur = cur[key]
    return cur


# ---- HTML equivalence --------------------------------------------------------
#
# feedparser's expected HTML is its own sanitizer's serialization; ours is the
# html module's allowlist (html.h: b -> strong, i -> em, h1 -> h2, elements
# not on the list unwrapped or dropped, only href/src/alt kept, every
# character reference written one way).  Outside the sanitize category a
# string that differs only by that serialization tests the parser, not the
# sanitizer, so such values are also compared as token streams: the expected
# side is passed through the allowlist, ours is only tokenized (anything our
# sanitizer should have removed still shows up and fails).  The strict
# string-equality rate is printed beside the result.

KEEP = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "figure", "img",
        "figcaption", "a", "em", "strong", "pre", "code", "table", "thead", "tbody", "tr",
        "th", "td", "br"}
RENAME = {"b": "strong", "i": "em", "h1": "h2"}
DROP = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "select",
        "option", "textarea", "svg", "math", "template", "noscript", "head", "title", "meta",
        "link", "base", "canvas", "video", "audio", "source", "dialog"}
ATTRS = {"a": ("href",), "img": ("src", "alt")}
VOID = {"br", "img"}


class Tokens(html.parser.HTMLParser):
    def __init__(self, allowlist):
        super().__init__(convert_charrefs=True)
        self.allowlist, self.out, self.dropping = allowlist, [], 0

    def skip(self, tag):
        return self.allowlist and (self.dropping or tag not in KEEP)

    def handle_starttag(self, tag, attrs):
        if self.allowlist:
            tag = RENAME.get(tag, tag)
            if tag in DROP:
                self.dropping += 1
            attrs = [(k, v) for k, v in attrs if k in ATTRS.get(tag, ())]
        if not self.skip(tag):
            self.out.append(("<", tag, tuple(sorted((k, (v or "").strip()) for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if RENAME.get(tag, tag) not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.allowlist:
            tag = RENAME.get(tag, tag)
            if tag in DROP:
                self.dropping = max(0, self.dropping - 1)
                return
        if not self.skip(tag) and tag not in VOID:
            self.out.append(("/", tag))

    def handle_data(self, data):
        if self.allowlist and self.dropping:
            return
        if self.out and self.out[-1][0] == "t":
            self.out[-1] = ("t", self.out[-1][1] + data)
        else:
            self.out.append(("t", data))


def tokens(s, allowlist):
    t = Tokens(allowlist)
    t.feed(s)
    t.close()
    return [("t", re.sub(r"\s+", " ", x[1]).strip()) if x[0] == "t" else x for x in t.out
            if x[0] != "t" or x[1].strip()]


def html_typed(doc, path):
    """Whether our output marks the text construct at `path` as HTML."""
    head, last = list(path[:-1]), path[-1]
    if last == "value":
        t = resolve(doc, head + ["type"])
    else:
        t = resolve(doc, head + [last + "_detail", "type"])
    return t in ("text/html", "application/xhtml+xml")


def html_equal(doc, a):
    if a["op"] != "==" or not isinstance(a["value"], str) or doc is None:
        return False
    v = resolve(doc, a["path"])
    return (isinstance(v, str) and html_typed(doc, a["path"]) and
            tokens(v, False) == tokens(a["value"], True))


def check(doc, a):
    v = resolve(doc, a["path"]) if doc is not None else MISSING
    op, want = a["op"], a["value"]
    if isinstance(v, list) and isinstance(want, list) and str(a["path"][-1]).endswith("_parsed"):
        v = v[:9]
    if op == "==":
        return v is not MISSING and v == want
    if op == "!=":
        return v != want
    if op == "is":
        return v is not MISSING and v == want
    if op == "is not":
        return v is MISSING or v != want
    if op == "not in":
        return v is MISSING
    if op == "len==":
        return v is not MISSING and len(v) == want
    return False


def feedparser(tidings, root, verbose):
    man = [json.loads(l) for l in open(os.path.join(root, "manifest.jsonl"))]
    groups = {}
    for m in man:
        hdr = m.get("http_headers") or {}
        over_http = m["harness"].startswith("served over HTTP")
        ctype = hdr.get("Content-type", "text/xml" if over_http else None)
        # Upstream serves these from http://127.0.0.1:8097/, which makes the
        # document URI the base (Content-Location is relative to it).  The
        # tests only use absolute-path references, so the directory is
        # enough, and files of one directory share a parser run.
        base = None
        if over_http:
            base = urllib.parse.urljoin("http://127.0.0.1:8097/" + os.path.dirname(m["file"]) + "/",
                                        hdr.get("Content-Location", ""))
        extra = []
        if ctype:
            extra += ["--content-type", ctype]
        if over_http and hdr.get("Content-Language"):
            extra += ["--content-language", hdr["Content-Language"]]
        if base:
            extra += ["--url", base]
        groups.setdefault(tuple(extra), []).append(m)
    results, crashes, files = {}, [], []
    for extra, ms in groups.items():
        fs = [os.path.join(root, "tests", m["file"]) for m in ms]
        files += fs
        r, c = run(tidings, fs, list(extra))
        results.update(r)
        crashes += c
    score = {"plain": [0, 0], "sanitize": [0, 0]}
    strict = 0
    failures = []
    for m in man:
        if not m["assertions"]:
            continue
        doc = results.get(os.path.join(root, "tests", m["file"]))
        kind = "sanitize" if "sanitize" in m["category"] else "plain"
        for a in m["assertions"]:
            score[kind][1] += 1
            if check(doc, a):
                score[kind][0] += 1
                strict += kind == "plain"
            elif kind == "plain" and html_equal(doc, a):
                score[kind][0] += 1
            elif kind == "plain":
                failures.append("%s: %s %s %r" % (m["file"], "/".join(map(str, a["path"])),
                                                  a["op"], a["value"]))
    if verbose:
        for f in failures:
            print("#   " + f[:300])
    return score, strict, crashes, files


# ---- feed-rs ---------------------------------------------------------------

def feedrs(tidings, root, verbose):
    files = sorted(glob.glob(os.path.join(root, "fixture/*/*.xml")) +
                   [f for f in glob.glob(os.path.join(root, "fixture/*/*.json"))
                    if not f.endswith(".serde.json")])
    parsed, crashes = run(tidings, files, ["--raw"])
    passed, total, failures = 0, 0, []
    for f in files:
        exp = os.path.splitext(f)[0] + ".serde.json"
        if not os.path.exists(exp):
            continue
        total += 1
        e = json.load(open(exp))
        g = parsed.get(f)
        if g is None:
            failures.append("%s: did not parse" % f)
            continue
        want = [((x.get("title") or {}).get("content") or "").strip() for x in e.get("entries", [])]
        have = [(x.get("title") or "").strip() for x in g.get("entries", [])]
        if want == have:
            passed += 1
        else:
            failures.append("%s: %d entries expected, %d got; first diff %r" % (
                os.path.relpath(f, root), len(want), len(have),
                next(((a, b) for a, b in zip(want, have) if a != b), None)))
    if verbose:
        for x in failures:
            print("#   " + x[:300])
    return passed, total, crashes, files


def main():
    if len(sys.argv) < 3:
        print("usage: conformance.py TIDINGS SHARED_DIR [--verbose]", file=sys.stderr)
        return 2
    tidings, shared = sys.argv[1], sys.argv[2]
    verbose = "--verbose" in sys.argv
    feeds = os.path.join(shared, "bench", "feeds")
    names = ["gofeed parser", "feedparser non-sanitize", "feedparser sanitize (reported only)",
             "feed-rs", "every suite file parses without crash"]
    print("1..%d" % len(names))
    if not os.path.isdir(feeds):
        for i, n in enumerate(names, 1):
            print("ok %d %s # SKIP %s absent" % (i, n, feeds))
        return 0
    failed = 0

    def result(i, name, rate, passed, total, extra="", also_ok=True):
        nonlocal failed
        floor = FLOORS.get(name)
        ok = (floor is None or rate >= floor) and also_ok
        failed += not ok
        print("%s %d %s: %d/%d = %.1f%%%s%s" % ("ok" if ok else "not ok", i, name, passed, total,
                                                100 * rate, " (floor %.1f%%)" % (100 * floor)
                                                if floor is not None else "", extra))

    gp, gt, gu, gcrash, gfiles = gofeed(tidings, os.path.join(feeds, "gofeed"), verbose)
    result(1, "gofeed parser", gp / max(gt, 1), gp, gt, "; %d expected values unsupported" % gu)
    score, strict, fcrash, ffiles = feedparser(tidings, os.path.join(feeds, "feedparser"), verbose)
    p, t = score["plain"]
    result(2, "feedparser non-sanitize", p / max(t, 1), p, t,
           "; strict string equality %d/%d = %.1f%% (floor %.1f%%)" % (
               strict, t, 100 * strict / max(t, 1), 100 * FLOORS["feedparser strict"]),
           also_ok=strict / max(t, 1) >= FLOORS["feedparser strict"])
    p, t = score["sanitize"]
    result(3, "feedparser sanitize (reported only)", p / max(t, 1), p, t)
    rp, rt, rcrash, rfiles = feedrs(tidings, os.path.join(feeds, "feed-rs"), verbose)
    result(4, "feed-rs", rp / max(rt, 1), rp, rt)
    # Every file, including gofeed's translator/extension inputs.
    extra_files = sorted(set(glob.glob(os.path.join(feeds, "gofeed/testdata/**/*.xml"),
                                       recursive=True)) - set(gfiles))
    _, xcrash = run(tidings, extra_files, [])
    crashes = gcrash + fcrash + rcrash + xcrash
    total = len(gfiles) + len(ffiles) + len(rfiles) + len(extra_files)
    print("%s 5 every suite file parses without crash (%d files)" % (
        "not ok" if crashes else "ok", total))
    for c in crashes:
        print("#   " + c.replace("\n", "\n#   "))
    failed += bool(crashes)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
