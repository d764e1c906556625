#!/usr/bin/env python3
"""build_corpus.py - turn the demo corpus into a C table at build time.

Usage: build_corpus.py CORPUS_DIR OUTPUT.c DEPFILE

The corpus is written for people: outlets.json names the outlets, each
outlet has a page layout (layouts/SLUG.html, full of the clutter real news
sites carry, plus the ad and newsletter boxes of layouts/parts/ that
outlets.json picks for the middle of its articles) and its articles (articles/SLUG/*.txt: a few "key: value"
header lines, a blank line, then paragraphs).  This script assembles what a
crawler would find on the web: every outlet's home page, article pages,
feed (RSS 2.0, Atom 1.0 or JSON Feed 1.1, as outlets.json says, and one of
them deliberately malformed), a drawn SVG lead image per article and an
icon per outlet.  Dates and links stay placeholders ({{base}},
{{rfc822:-N}}, ...) that src/demo/demo.c fills when the demo starts.

Writes `td_demo_files[]` and `td_demo_feeds[]` (see src/demo/demo.h) and a
depfile naming every file read, so Meson rebuilds when the corpus changes.
Nothing it writes is committed.
"""
import hashlib
import html
import json
import os
import re
import struct
import sys
import zlib

PERIOD = re.compile(r'^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$')


def seconds(age):
    m = PERIOD.match(age.strip())
    if not m or not any(m.groups()):
        raise SystemExit('bad age %r (want e.g. 1d2h30m)' % age)
    d, h, mi = (int(x or 0) for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60


def esc(s):
    return html.escape(s, quote=True)


def read_article(path, outlet):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    head, _, body = text.partition('\n\n')
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(':')
        meta[key.strip()] = value.strip()
    for key in ('title', 'author', 'age', 'section', 'summary', 'caption', 'credit', 'scene'):
        if key not in meta:
            raise SystemExit('%s: missing "%s:" header' % (path, key))
    slug = os.path.splitext(os.path.basename(path))[0]
    meta['slug'] = slug
    meta['outlet'] = outlet['slug']
    meta['offset'] = seconds(meta['age'])
    meta['path'] = '/%s/news/%s.html' % (outlet['slug'], slug)
    meta['image'] = '/%s/img/%s.svg' % (outlet['slug'], slug)
    meta['paragraphs'] = [p.strip().replace('\n', ' ') for p in body.split('\n\n') if p.strip()]
    return meta


# ---- pictures -------------------------------------------------------------

def rng(seed):
    """A small deterministic generator, so every build draws the same images."""
    state = int(hashlib.sha256(seed.encode()).hexdigest()[:16], 16)
    while True:
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        yield (state >> 33) / float(1 << 31)


PALETTES = {
    'storm': ('#2b3a4a', '#6b7f92', '#1c262f', '#d9e2ea'),
    'dusk': ('#3d2c5c', '#e0875a', '#22183a', '#f6d4a8'),
    'day': ('#5fa8d3', '#cae9ff', '#2f6b3a', '#ffffff'),
    'night': ('#0b1026', '#24305e', '#05070f', '#f5f1d0'),
    'grey': ('#55606b', '#b9c2c9', '#2f353b', '#eef1f3'),
}


def svg_scene(kind, seed, palette):
    r = rng(seed)
    sky, horizon, ground, accent = PALETTES.get(palette, PALETTES['day'])
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" '
           'viewBox="0 0 1200 675">',
           '<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1">'
           '<stop offset="0" stop-color="%s"/><stop offset="1" stop-color="%s"/>'
           '</linearGradient></defs>' % (sky, horizon),
           '<rect width="1200" height="675" fill="url(#s)"/>']
    if kind in ('sky', 'comet'):
        for _ in range(60):
            out.append('<circle cx="%d" cy="%d" r="%.1f" fill="%s" opacity="%.2f"/>' % (
                next(r) * 1200, next(r) * 450, 0.8 + next(r) * 1.8, accent, 0.4 + next(r) * 0.6))
        if kind == 'comet':
            x, y = 300 + next(r) * 500, 120 + next(r) * 120
            out.append('<path d="M%d %d L%d %d L%d %d Z" fill="%s" opacity="0.35"/>' % (
                x, y, x + 420, y - 150, x + 430, y - 120, accent))
            out.append('<circle cx="%d" cy="%d" r="14" fill="%s"/>' % (x, y, accent))
    if kind in ('bridge', 'harbour'):
        out.append('<rect y="470" width="1200" height="205" fill="%s"/>' % ground)
        for i in range(12):
            y = 490 + i * 15
            out.append('<path d="M0 %d Q300 %d 600 %d T1200 %d" stroke="%s" stroke-width="2" '
                       'fill="none" opacity="0.3"/>' % (y, y - 8, y, y, accent))
    if kind == 'bridge':
        out.append('<rect x="80" y="380" width="1040" height="22" fill="%s"/>' % accent)
        for x in (300, 900):
            out.append('<rect x="%d" y="180" width="26" height="300" fill="%s"/>' % (x, accent))
            out.append('<path d="M%d 185 Q%d 380 %d 385" stroke="%s" stroke-width="5" '
                       'fill="none"/>' % (x + 13, x - 150, x - 250, accent))
            out.append('<path d="M%d 185 Q%d 380 %d 385" stroke="%s" stroke-width="5" '
                       'fill="none"/>' % (x + 13, x + 170, x + 280, accent))
    if kind == 'harbour':
        for _ in range(4):
            x = 100 + next(r) * 950
            out.append('<path d="M%d 470 L%d 470 L%d 500 L%d 500 Z" fill="%s"/>' % (
                x, x + 120, x + 100, x + 20, accent))
            out.append('<rect x="%d" y="380" width="6" height="90" fill="%s"/>' % (x + 55, accent))
    if kind in ('city', 'factory', 'rail', 'field', 'generic'):
        hill = 430 + next(r) * 60
        out.append('<path d="M0 %d Q300 %d 600 %d T1200 %d V675 H0 Z" fill="%s"/>' % (
            hill, hill - 80, hill, hill - 40, ground))
    if kind == 'city':
        x = 40
        while x < 1160:
            w, h = 50 + next(r) * 70, 120 + next(r) * 260
            out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s" opacity="0.85"/>' % (
                x, 470 - h, w, h + 205, ground))
            for wy in range(int(470 - h + 15), 460, 28):
                out.append('<rect x="%d" y="%d" width="%d" height="8" fill="%s" opacity="0.5"/>'
                           % (x + 8, wy, w - 16, accent))
            x += w + 8
    if kind == 'factory':
        out.append('<rect x="300" y="330" width="600" height="170" fill="%s"/>' % accent)
        for i in range(6):
            out.append('<path d="M%d 330 L%d 280 L%d 330 Z" fill="%s"/>' % (
                300 + i * 100, 350 + i * 100, 400 + i * 100, accent))
        for x in (340, 420):
            out.append('<rect x="%d" y="170" width="30" height="160" fill="%s"/>' % (x, ground))
    if kind == 'rail':
        out.append('<path d="M500 675 L590 430 M700 675 L610 430" stroke="%s" stroke-width="8"/>'
                   % accent)
        for i in range(10):
            y = 440 + i * i * 2.6
            out.append('<rect x="%d" y="%d" width="%d" height="5" fill="%s"/>' % (
                580 - i * 9, y, 40 + i * 18, accent))
        out.append('<rect x="820" y="330" width="300" height="120" rx="18" fill="%s"/>' % accent)
    if kind in ('field', 'generic'):
        out.append('<circle cx="%d" cy="%d" r="60" fill="%s" opacity="0.9"/>' % (
            150 + next(r) * 900, 120 + next(r) * 120, accent))
    out.append('</svg>\n')
    return '\n'.join(out)


def svg_icon(name, color):
    letters = ''.join(w[0] for w in name.replace('The ', '').split()[:2]).upper()
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
            '<rect width="64" height="64" rx="12" fill="%s"/>'
            '<text x="32" y="42" font-family="Georgia, serif" font-size="28" font-weight="bold" '
            'fill="#ffffff" text-anchor="middle">%s</text></svg>\n' % (color, esc(letters)))


def png_square(size, rgb):
    """A plain square PNG: the one favicon.ico of the demo host."""
    raw = b''.join(b'\x00' + bytes(rgb) * size for _ in range(size))

    def chunk(kind, data):
        c = kind + data
        return struct.pack('>I', len(data)) + c + struct.pack('>I', zlib.crc32(c) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


def ico(png):
    """An ICO file holding one PNG image (allowed since Windows Vista)."""
    return struct.pack('<HHH', 0, 1, 1) + struct.pack('<BBBBHHII', 16, 16, 0, 0, 1, 32, len(png),
                                                       22) + png


# ---- pages ----------------------------------------------------------------

def article_main(o, a, others):
    paras = a['paragraphs']
    body = []
    for i, p in enumerate(paras):
        if p.startswith('## '):
            body.append('<h2>%s</h2>' % esc(p[3:]))
        elif p.startswith('> '):
            body.append('<blockquote><p>%s</p></blockquote>' % esc(p[2:]))
        else:
            body.append('<p>%s</p>' % esc(p))
        if i == 1:
            body.append(o['inline_ad'])
        if i == 3 and len(paras) > 5:
            body.append(o['newsletter'])
    tease = ''.join('<li><a href="%s"><img src="%s" alt="" width="120" height="68">'
                    '<span>%s</span></a></li>' % (x['path'], x['image'], esc(x['title']))
                    for x in others[:2])
    return '''<article class="story" itemscope itemtype="https://schema.org/NewsArticle">
<header class="story-head">
<p class="kicker"><a href="/{slug}/section/{sect}/">{section}</a></p>
<h1 class="headline" itemprop="headline">{title}</h1>
<p class="dek">{summary}</p>
<p class="byline">By <a rel="author" href="/{slug}/staff/{aslug}/">{author}</a>
<span class="sep">|</span> <time datetime="{{{{rfc3339:-{off}}}}}" itemprop="datePublished">{{{{date:-{off}}}}}</time></p>
<div class="share-bar" aria-label="Share this story">Share this story:
<a href="https://social.example/share?u={{{{base}}}}{path}">Post</a>
<a href="mailto:?subject={qtitle}">Email</a> <a href="#comments">Comments (12)</a>
<button type="button" class="copy-link">Copy link</button></div>
</header>
<figure class="lead-image">
<img src="{image}" alt="{alt}" width="1200" height="675" itemprop="image">
<figcaption>{caption} <span class="credit">Photo: {credit}</span></figcaption>
</figure>
<div class="story-body" itemprop="articleBody">
{body}
</div>
<p class="story-tags">Filed under: <a href="/{slug}/section/{sect}/">{section}</a></p>
<section class="you-may-like"><h3>You May Like</h3><p class="promo-by">Promoted by Clickwell</p>
<ul>{tease}
<li><a href="https://ads.example/offer/77">Homeowners Are Switching To This Odd Roof Trick</a></li>
<li><a href="https://ads.example/offer/91">The Sleep Gadget Everyone In Eastmarch Is Talking About</a></li>
</ul></section>
</article>'''.format(slug=o['slug'], sect=a['section'].lower(), section=esc(a['section']),
                     title=esc(a['title']), summary=esc(a['summary']), author=esc(a['author']),
                     aslug=re.sub(r'[^a-z]+', '-', a['author'].lower()).strip('-'),
                     off=a['offset'], path=a['path'], qtitle=esc(a['title']).replace(' ', '%20'),
                     image=a['image'], caption=esc(a['caption']), credit=esc(a['credit']),
                     alt=esc(a.get('alt', a['caption'])),
                     body='\n'.join(body), tease=tease)


def rail(o, items):
    return '\n'.join('<li><a href="%s">%s</a></li>' % (x['path'], esc(x['title'])) for x in items)


def page(layout, o, title, head, main, rail_items):
    out = layout
    for key, value in (('@@TITLE@@', esc(title)), ('@@HEAD@@', head), ('@@MAIN@@', main),
                       ('@@RAIL@@', rail(o, rail_items)), ('@@NAME@@', esc(o['name'])),
                       ('@@SLUG@@', o['slug'])):
        out = out.replace(key, value)
    if '@@' in out:
        raise SystemExit('layout of %s: unknown slot near %r' % (o['slug'], out[out.index('@@'):][:20]))
    return out


def article_head(o, a):
    return '\n'.join([
        '<meta name="description" content="%s">' % esc(a['summary']),
        '<link rel="canonical" href="{{base}}%s">' % a['path'],
        '<meta property="og:type" content="article">',
        '<meta property="og:title" content="%s">' % esc(a['title']),
        '<meta property="og:site_name" content="%s">' % esc(o['name']),
        '<meta property="og:image" content="{{base}}%s">' % a['image'],
        '<meta property="article:published_time" content="{{rfc3339:-%d}}">' % a['offset'],
        '<meta name="author" content="%s">' % esc(a['author']),
    ])


def home_main(o, arts):
    items = []
    for a in arts:
        items.append('<li class="teaser"><a href="%s"><img src="%s" alt="" width="240" height="135">'
                     '<h2>%s</h2></a><p>%s</p><p class="meta">%s &middot; {{date:-%d}}</p></li>' % (
                         a['path'], a['image'], esc(a['title']), esc(a['summary']),
                         esc(a['author']), a['offset']))
    return '<section class="front"><h1>%s</h1><p class="tagline">%s</p><ul class="teasers">%s</ul>' \
           '</section>' % (esc(o['name']), esc(o['tagline']), '\n'.join(items))


# ---- feeds ----------------------------------------------------------------

def rss(o, arts, broken):
    icon = ''
    if o['icon'] == 'feed':
        icon = ('<image><url>{{base}}/%s/icon.svg</url><title>%s</title><link>{{base}}/%s/</link>'
                '</image>' % (o['slug'], esc(o['name']), o['slug']))
    items = []
    for i, a in enumerate(arts):
        title = esc(a['title'])
        summary = esc(a['summary'])
        if broken and i == 0:
            # What broken feeds really carry: a bare ampersand and an HTML
            # entity XML does not know.
            title = a['title']
            summary = summary + '&nbsp;'
        items.append('''<item>
<title>{t}</title>
<link>{{{{base}}}}{p}</link>
<guid isPermaLink="true">{{{{base}}}}{p}</guid>
<pubDate>{{{{rfc822:-{off}}}}}</pubDate>
<dc:creator>{au}</dc:creator>
<category>{sec}</category>
<description>{s}</description>
<media:content url="{{{{base}}}}{img}" medium="image" type="image/svg+xml">
<media:description>{cap}</media:description>
<media:credit>{cr}</media:credit>
</media:content>
</item>'''.format(t=title, p=a['path'], off=a['offset'], au=esc(a['author']),
                  sec=esc(a['section']), s=summary, img=a['image'], cap=esc(a['caption']),
                  cr=esc(a['credit'])))
    doc = '''<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
<title>{name}</title>
<link>{{{{base}}}}/{slug}/</link>
<description>{tag}</description>
<language>en</language>
<lastBuildDate>{{{{rfc822:-{last}}}}}</lastBuildDate>
<ttl>30</ttl>
{icon}
{items}
</channel>
</rss>
'''.format(name=esc(o['name']), slug=o['slug'], tag=esc(o['tagline']), last=arts[0]['offset'],
           icon=icon, items='\n'.join(items))
    if broken:
        # ...and a feed cut off before its last end tags.
        doc = doc[:doc.rindex('</item>')]
    return doc


def atom(o, arts):
    icon = '<icon>{{base}}/%s/icon.svg</icon>\n' % o['slug'] if o['icon'] == 'feed' else ''
    entries = []
    for a in arts:
        entries.append('''<entry>
<id>tag:{slug}.demo,2026:{s}</id>
<title>{t}</title>
<link rel="alternate" type="text/html" href="{{{{base}}}}{p}"/>
<published>{{{{rfc3339:-{off}}}}}</published>
<updated>{{{{rfc3339:-{off}}}}}</updated>
<author><name>{au}</name></author>
<category term="{sec}"/>
<summary>{sm}</summary>
</entry>'''.format(slug=o['slug'], s=a['slug'], t=esc(a['title']), p=a['path'], off=a['offset'],
                   au=esc(a['author']), sec=esc(a['section']), sm=esc(a['summary'])))
    return '''<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>{name}</title>
<subtitle>{tag}</subtitle>
<id>tag:{slug}.demo,2026:feed</id>
<link rel="alternate" type="text/html" href="{{{{base}}}}/{slug}/"/>
<link rel="self" href="{{{{base}}}}/{slug}/atom.xml"/>
<updated>{{{{rfc3339:-{last}}}}}</updated>
{icon}{entries}
</feed>
'''.format(name=esc(o['name']), tag=esc(o['tagline']), slug=o['slug'], last=arts[0]['offset'],
           icon=icon, entries='\n'.join(entries))


def json_feed(o, arts):
    feed = {
        'version': 'https://jsonfeed.org/version/1.1',
        'title': o['name'],
        'home_page_url': '{{base}}/%s/' % o['slug'],
        'feed_url': '{{base}}/%s/feed.json' % o['slug'],
        'description': o['tagline'],
        'language': 'en',
        'items': [{
            'id': '{{base}}' + a['path'],
            'url': '{{base}}' + a['path'],
            'title': a['title'],
            'summary': a['summary'],
            'image': '{{base}}' + a['image'],
            'date_published': '{{rfc3339:-%d}}' % a['offset'],
            'authors': [{'name': a['author']}],
            'tags': [a['section']],
        } for a in arts],
    }
    if o['icon'] == 'feed':
        feed['icon'] = '{{base}}/%s/icon.svg' % o['slug']
        feed['favicon'] = '{{base}}/%s/icon.svg' % o['slug']
    return json.dumps(feed, indent=1, ensure_ascii=False) + '\n'


# ---- output ---------------------------------------------------------------

def c_string(data):
    out = ['"']
    col = 0
    for ch in data:
        if ch == 0x0A:
            out.append('\\n"\n    "')
            col = 0
            continue
        if ch in (0x22, 0x5C):
            piece = '\\' + chr(ch)
        elif 0x20 <= ch < 0x7F and ch != 0x3F:  # '?' escaped: no trigraphs
            piece = chr(ch)
        else:
            piece = '\\%03o' % ch
        out.append(piece)
        col += len(piece)
        if col > 90:
            out.append('"\n    "')
            col = 0
    out.append('"')
    return ''.join(out)


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: build_corpus.py CORPUS_DIR OUTPUT.c DEPFILE')
    root, output, depfile = sys.argv[1:]
    read = []

    def load(path):
        read.append(path)
        with open(path, encoding='utf-8') as f:
            return f.read()

    outlets = json.loads(load(os.path.join(root, 'outlets.json')))
    files = []  # (path, content type, bytes, templated)
    feeds = []
    for o in outlets:
        layout = load(os.path.join(root, 'layouts', o['slug'] + '.html'))
        for part in ('inline_ad', 'newsletter'):
            o[part] = load(os.path.join(root, 'layouts', 'parts', o[part] + '.html')).strip()
        adir = os.path.join(root, 'articles', o['slug'])
        arts = []
        for name in sorted(os.listdir(adir)):
            if name.endswith('.txt'):
                read.append(os.path.join(adir, name))
                arts.append(read_article(os.path.join(adir, name), o))
        arts.sort(key=lambda a: a['offset'])
        icon_link = ''
        if o['icon'] in ('feed', 'page'):
            icon_link = '<link rel="icon" type="image/svg+xml" href="/%s/icon.svg">' % o['slug']
        for i, a in enumerate(arts):
            others = [x for x in arts if x is not a]
            others = others[i % max(len(others), 1):] + others[:i % max(len(others), 1)]
            main_html = article_main(o, a, others)
            files.append((a['path'], 'text/html; charset=utf-8',
                          page(layout, o, a['title'], icon_link + '\n' + article_head(o, a),
                               main_html, others[:4]), True))
            files.append((a['image'], 'image/svg+xml',
                          svg_scene(a['scene'].split()[0], a['path'],
                                    a['scene'].split()[1] if ' ' in a['scene'] else 'day'), False))
        kind = o['feed']
        ext = {'rss': 'rss.xml', 'atom': 'atom.xml', 'json': 'feed.json'}[kind]
        feed_path = '/%s/%s' % (o['slug'], ext)
        ctype = {'rss': 'application/rss+xml', 'atom': 'application/atom+xml',
                 'json': 'application/feed+json'}[kind]
        body = (rss(o, arts, o.get('broken', False)) if kind == 'rss' else
                atom(o, arts) if kind == 'atom' else json_feed(o, arts))
        files.append((feed_path, ctype, body, True))
        feeds.append(feed_path)
        alt = '<link rel="alternate" type="%s" title="%s" href="%s">' % (ctype, esc(o['name']),
                                                                         feed_path)
        files.append(('/%s/' % o['slug'], 'text/html; charset=utf-8',
                      page(layout, o, o['name'], icon_link + '\n' + alt, home_main(o, arts),
                           arts[:4]), True))
        files.append(('/%s/icon.svg' % o['slug'], 'image/svg+xml', svg_icon(o['name'], o['color']),
                      False))
    # The host's own favicon, the last resort of an outlet that names no icon.
    files.append(('/favicon.ico', 'image/x-icon', ico(png_square(16, (0x8a, 0x4b, 0x2e))), False))

    lines = ['/* Generated by src/demo/build_corpus.py from src/demo/corpus; do not edit. */',
             '#include "demo/demo.h"', '',
             'const struct td_demo_file td_demo_files[] = {']
    for path, ctype, data, templated in files:
        raw = data if isinstance(data, bytes) else data.encode('utf-8')
        lines.append('    {%s, %s,\n    %s,\n    %d, %s},' % (
            c_string(path.encode()), c_string(ctype.encode()), c_string(raw), len(raw),
            'true' if templated else 'false'))
    lines.append('};')
    lines.append('const size_t td_demo_files_count = %d;' % len(files))
    lines.append('const char *const td_demo_feeds[] = {%s};' % ', '.join(
        c_string(p.encode()) for p in feeds))
    lines.append('const size_t td_demo_feeds_count = %d;' % len(feeds))
    with open(output, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    with open(depfile, 'w', encoding='utf-8') as f:
        f.write('%s: %s\n' % (output, ' '.join(p.replace(' ', '\\ ') for p in read)))


if __name__ == '__main__':
    main()
