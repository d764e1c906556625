/*
 * feed.c - the front door of the feed module: bytes in, one model out.
 *
 * td_feed_parse decodes the bytes to UTF-8 with the base charset chain
 * (BOM, HTTP charset, XML declaration, validity, uchardet), notes when the
 * document lied about its encoding (bozo), sniffs JSON vs XML and hands the
 * text to the matching reader.  td_feed_finish then derives what the
 * readers leave open: entry keys and links, duplicate guids, date clamping,
 * sanitized HTML.
 */
#include "base/compat.h"
#include "base/charset.h"
#include "base/date.h"
#include "base/error.h"
#include "base/url.h"
#include "base/utf8.h"
#include "feed/internal.h"
#include "html/html.h"

static const char *const version_names[] = {
    [TD_FEED_UNKNOWN] = "",        [TD_FEED_RSS090] = "rss090", [TD_FEED_RSS091N] = "rss091n",
    [TD_FEED_RSS091U] = "rss091u", [TD_FEED_RSS092] = "rss092", [TD_FEED_RSS093] = "rss093",
    [TD_FEED_RSS094] = "rss094",   [TD_FEED_RSS20] = "rss20",   [TD_FEED_RSS] = "rss",
    [TD_FEED_RSS10] = "rss10",     [TD_FEED_ATOM03] = "atom03", [TD_FEED_ATOM10] = "atom10",
    [TD_FEED_ATOM] = "atom",       [TD_FEED_JSON10] = "json10", [TD_FEED_JSON11] = "json11",
    [TD_FEED_CDF] = "cdf",
};

const char *td_feed_version_name(enum td_feed_version v)
{
    return (size_t)v < TD_ARRAY_SIZE(version_names) ? version_names[v] : "";
}

void *td_feed_grow_(struct td_arena *a, void *arr, size_t n, size_t size)
{
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return arr;
    size_t cap = n ? n * 2 : 4;
    void *p = td_arena_alloc(a, cap * size);
    if (n)
        memcpy(p, arr, n * size);
    return p;
}

void td_feed_bozo(struct td_feed_builder *b, const char *why)
{
    if (!b->f->bozo)
        b->f->bozo_reason = td_feed_strdup(b, why, strlen(why), true);
    b->f->bozo = true;
}

const char *td_feed_strdup(struct td_feed_builder *b, const char *s, size_t n, bool trim)
{
    struct td_str t = td_str_make(s, n);
    if (trim)
        t = td_str_trim(t);
    if (!t.len)
        return "";
    return td_arena_strndup(&b->f->arena, t.ptr, t.len);
}

/*
 * An absolute http(s) URL that needs no resolving: only URL code points,
 * no userinfo or port, no dot segments.  Most feed links are.  A host in
 * upper case is kept as written, as feedparser keeps it (hosts compare
 * case-blind anyway).
 */
static bool already_clean(const char *s)
{
    size_t i = !strncmp(s, "http://", 7) ? 7 : !strncmp(s, "https://", 8) ? 8 : 0;
    bool in_host = true;
    if (!i || !s[i] || s[i] == '/')
        return false;
    for (; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`' ||
            c == '{' || c == '}' || c == '|' || c == '^')
            return false;
        if (in_host) {
            if (c == '/' || c == '?' || c == '#')
                in_host = false;
            else if (c == '@' || c == ':')
                return false;
        }
        if (c == '.' && s[i - 1] == '/' && (s[i + 1] == '/' || s[i + 1] == '.' || !s[i + 1]))
            return false;
        if (c == '?' || c == '#')
            break;
    }
    return true;
}

const char *td_feed_resolve(struct td_feed_builder *b, const char *base, const char *ref)
{
    if (!ref || !*ref)
        return "";
    /* "http:///example.com/": the extra slashes are a typo (feedparser drops them too). */
    const char *sep = strstr(ref, ":///");
    if (sep && sep > ref &&
        strspn(ref, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") ==
            (size_t)(sep - ref)) {
        size_t scheme = (size_t)(sep - ref) + 3, extra = strspn(ref + scheme, "/");
        char *fixed = td_arena_alloc(&b->f->arena, strlen(ref) - extra + 1);
        memcpy(fixed, ref, scheme);
        memcpy(fixed + scheme, ref + scheme + extra, strlen(ref + scheme + extra) + 1);
        ref = fixed;
    }
    if (already_clean(ref))
        return ref;
    td_buf_reset(&b->scratch);
    if (td_url_resolve(td_str_c(base), td_str_c(ref), &b->scratch) < 0)
        return ref;
    return td_arena_strndup(&b->f->arena, b->scratch.buf, b->scratch.len);
}

void td_feed_set_date_as_is(struct td_feed_builder *b, struct td_feed_date *d, const char *raw)
{
    time_t t;
    unsigned flags;

    d->raw = raw;
    d->t = 0;
    d->flags = 0;
    if (td_date_parse(td_str_c(raw), b->opts->default_zone, &t, &flags) == 0) {
        d->t = t;
        d->flags = TD_FEED_DATE_SET | (flags & TD_DATE_NOZONE ? TD_FEED_DATE_NOZONE : 0);
    }
}

void td_feed_set_date(struct td_feed_builder *b, struct td_feed_date *d, const char *raw)
{
    time_t t;
    unsigned flags;

    d->raw = raw;
    if (td_date_parse(td_str_c(raw), b->opts->default_zone, &t, &flags) < 0) {
        d->flags = 0;
        d->t = 0;
        return;
    }
    d->t = t;
    d->flags = TD_FEED_DATE_SET | (flags & TD_DATE_NOZONE ? TD_FEED_DATE_NOZONE : 0);
    if (t > b->now) {
        d->t = b->now;
        d->flags |= TD_FEED_DATE_FUTURE;
    }
}

static void init_text(struct td_feed_text *t)
{
    t->value = t->type = t->lang = t->base = "";
}

static void init_date(struct td_feed_date *d)
{
    d->raw = "";
}

static void init_person(struct td_feed_person *p)
{
    p->name = p->email = p->uri = "";
}

static void init_reply(struct td_feed_reply *r)
{
    r->ref = r->href = r->type = r->source = "";
}

void td_feed_init_header(struct td_feed *f)
{
    f->bozo_reason = f->encoding = f->link = f->id = f->language = f->author = "";
    f->image.href = f->image.title = f->image.link = "";
    f->icon = f->rights = f->generator = f->hub = f->self = "";
    f->ttl = -1;
    init_text(&f->title);
    init_text(&f->subtitle);
    init_text(&f->rights_detail);
    init_date(&f->updated);
    init_date(&f->published);
    init_date(&f->created);
    f->generator_href = f->generator_version = f->publisher = f->logo = "";
    init_person(&f->publisher_detail);
    f->itunes_block = f->itunes_explicit = TD_FEED_FLAG_ABSENT;
    f->docs = "";
    f->cloud.domain = f->cloud.port = f->cloud.path = f->cloud.register_procedure =
        f->cloud.protocol = "";
    f->textinput.title = f->textinput.description = f->textinput.name = f->textinput.link = "";
    init_reply(&f->in_reply_to);
    init_date(&f->validity_start);
    init_date(&f->validity_end);
    f->newlocation = "";
}

struct td_feed_entry *td_feed_new_entry(struct td_feed_builder *b)
{
    struct td_feed *f = b->f;
    if (f->n_entries >= TD_FEED_MAX_ENTRIES) {
        if (!b->entries_full)
            td_feed_bozo(b, "too many entries; the rest were dropped");
        b->entries_full = true;
        return NULL;
    }
    struct td_feed_entry *e = TD_FEED_PUSH(&f->arena, f->entries, f->n_entries);
    e->key = e->id = e->link = e->author = "";
    e->media_credit = e->media_description = e->comments = e->rights = "";
    e->comments_feed = "";
    init_text(&e->title);
    init_text(&e->summary);
    init_text(&e->rights_detail);
    init_date(&e->published);
    init_date(&e->updated);
    init_date(&e->created);
    init_date(&e->expired);
    e->language = e->image = e->publisher = "";
    init_person(&e->publisher_detail);
    e->itunes_block = e->itunes_explicit = TD_FEED_FLAG_ABSENT;
    struct td_feed_media_rights *r = &e->media_rights;
    r->license = r->license_type = r->license_href = "";
    r->restriction = r->restriction_relationship = r->restriction_type = "";
    r->rating = r->rating_scheme = "";
    init_reply(&e->in_reply_to);
    init_date(&e->validity_start);
    init_date(&e->validity_end);
    e->chapters_version = "";
    return e;
}

void td_feed_person_from_string(struct td_feed_builder *b, const char *s, struct td_feed_person *p)
{
    struct td_str v = td_str_trim(td_str_c(s));
    const char *open = memchr(v.ptr, '(', v.len), *lt = memchr(v.ptr, '<', v.len);

    p->name = p->email = p->uri = "";
    /* "me@example.com (Name)" (RSS 2.0) or "Name (me@example.com)" */
    if (open && v.ptr[v.len - 1] == ')') {
        struct td_str out = td_str_trim(td_str_make(v.ptr, (size_t)(open - v.ptr)));
        struct td_str in = td_str_trim(td_str_make(open + 1, v.len - (size_t)(open - v.ptr) - 2));
        bool out_mail = memchr(out.ptr, '@', out.len) && !memchr(out.ptr, ' ', out.len);
        bool in_mail = memchr(in.ptr, '@', in.len) && !memchr(in.ptr, ' ', in.len);
        if (out_mail && !in_mail) {
            p->email = td_feed_strdup(b, out.ptr, out.len, true);
            p->name = td_feed_strdup(b, in.ptr, in.len, true);
            return;
        }
        if (in_mail) {
            p->email = td_feed_strdup(b, in.ptr, in.len, true);
            p->name = td_feed_strdup(b, out.ptr, out.len, true);
            return;
        }
    }
    /* "Name <me@example.com>" */
    if (lt && v.ptr[v.len - 1] == '>') {
        p->name = td_feed_strdup(b, v.ptr, (size_t)(lt - v.ptr), true);
        p->email = td_feed_strdup(b, lt + 1, v.len - (size_t)(lt - v.ptr) - 2, true);
        return;
    }
    if (memchr(v.ptr, '@', v.len) && !memchr(v.ptr, ' ', v.len)) {
        p->email = td_feed_strdup(b, v.ptr, v.len, true);
        return;
    }
    p->name = td_feed_strdup(b, v.ptr, v.len, true);
}

/* Two independent FNV-1a 64 hashes: a stable 128-bit key, not a defence. */
static void hash_key(struct td_feed_builder *b, struct td_feed_entry *e)
{
    uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull;
    const char *parts[] = {e->title.value, "\n", e->published.raw, "\n",
                           e->updated.raw, "\n", e->summary.value};
    for (size_t i = 0; i < TD_ARRAY_SIZE(parts); i++)
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
            h1 = (h1 ^ *p) * 0x100000001b3ull;
            h2 = (h2 ^ *p) * 0x100000001b3ull + 1;
        }
    /* "hash:" and both halves in hex; snprintf cost more than the hashing. */
    static const char hex[] = "0123456789abcdef";
    char key[5 + 32];
    memcpy(key, "hash:", 5);
    for (int i = 0; i < 16; i++) {
        key[5 + i] = hex[(h1 >> (60 - 4 * i)) & 15];
        key[21 + i] = hex[(h2 >> (60 - 4 * i)) & 15];
    }
    e->key = td_arena_strndup(&b->f->arena, key, sizeof(key));
}

static uint64_t str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* Drop entries whose key repeats an earlier one (feeds that repeat guids). */
static void dedupe(struct td_feed *f)
{
    size_t cap = 16;
    while (cap < f->n_entries * 2)
        cap *= 2;
    const char **slots = td_xcalloc(cap, sizeof(*slots));
    size_t kept = 0;
    for (size_t i = 0; i < f->n_entries; i++) {
        const char *k = f->entries[i].key;
        size_t j = (size_t)str_hash(k) & (cap - 1);
        bool dup = false;
        while (slots[j]) {
            if (!strcmp(slots[j], k)) {
                dup = true;
                break;
            }
            j = (j + 1) & (cap - 1);
        }
        if (dup)
            continue;
        slots[j] = k;
        f->entries[kept++] = f->entries[i];
    }
    f->n_entries = kept;
    free(slots);
}

/* Called for every text of every entry: the first byte decides most. */
static bool is_html(const struct td_feed_text *t)
{
    switch (t->type[0]) {
    case 't':
        return !strcmp(t->type, "text/html");
    case 'a':
        return !strcmp(t->type, "application/xhtml+xml");
    default:
        return false;
    }
}

static void sanitize(struct td_feed_builder *b, struct td_feed_text *t)
{
    if (!*t->value || (b->opts->flags & TD_FEED_NO_SANITIZE) || !is_html(t))
        return;
    struct td_buf *out = &b->html;
    td_buf_reset(out);
    if (td_html_sanitize_fragment(t->value, strlen(t->value), *t->base ? t->base : NULL, out) < 0) {
        t->value = "";
        td_feed_bozo(b, "entry HTML could not be sanitized");
    } else {
        t->value = td_feed_strdup(b, out->buf, out->len, true);
    }
}

void td_feed_finish(struct td_feed_builder *b)
{
    struct td_feed *f = b->f;

    sanitize(b, &f->title);
    sanitize(b, &f->subtitle);
    sanitize(b, &f->rights_detail);
    if (*f->rights_detail.type)
        f->rights = f->rights_detail.value;
    for (size_t i = 0; i < f->n_entries; i++) {
        struct td_feed_entry *e = &f->entries[i];
        if (!*e->link)
            for (size_t j = 0; j < e->n_links; j++)
                if (!strcmp(e->links[j].rel, "alternate")) {
                    e->link = e->links[j].href;
                    break;
                }
        /* No document URL: relative links are relative to the site. */
        if (*e->link && !td_url_is_http(td_str_c(e->link)) && td_url_is_http(td_str_c(f->link)))
            e->link = td_feed_resolve(b, f->link, e->link);
        if (*e->id)
            e->key = e->id;
        else if (*e->link)
            e->key = e->link;
        else
            hash_key(b, e);
        sanitize(b, &e->title);
        sanitize(b, &e->summary);
        sanitize(b, &e->rights_detail);
        if (*e->rights_detail.type)
            e->rights = e->rights_detail.value;
        for (size_t j = 0; j < e->n_content; j++)
            sanitize(b, &e->content[j]);
    }
    dedupe(f);
}

static bool xml_media_type(const char *ct)
{
    struct td_str t = td_str_c(ct);
    const char *semi = memchr(t.ptr, ';', t.len);
    if (semi)
        t.len = (size_t)(semi - t.ptr);
    t = td_str_trim(t);
    return !t.len || td_str_find_nocase(t, TD_STR_LIT("xml")) >= 0 ||
           td_str_eq_nocase(t, TD_STR_LIT("application/json")) ||
           td_str_eq_nocase(t, TD_STR_LIT("application/feed+json"));
}

/*
 * The label a document or server gives for its encoding, lowercased into
 * `out` ("" if none): the charset parameter of `content_type`, or else the
 * encoding pseudo-attribute of <?xml ... ?>.
 */
static void label_of(const char *s, size_t len, bool from_header, char *out, size_t size)
{
    struct td_str hay = td_str_make(s, TD_MIN(len, 256));
    const char *key = from_header ? "charset" : "encoding";
    size_t i = 0;

    out[0] = '\0';
    if (!from_header) {
        if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
            i = 3;
        if (len - i < 6 || memcmp(s + i, "<?xml", 5))
            return;
        ptrdiff_t end = td_str_find(hay, TD_STR_LIT("?>"));
        if (end < 0)
            return;
        hay.len = (size_t)end;
    }
    ptrdiff_t at = td_str_find_nocase(hay, td_str_c(key));
    if (at < 0)
        return;
    const char *p = hay.ptr + at + strlen(key), *e = hay.ptr + hay.len;
    while (p < e && (td_is_space(*p) || *p == '='))
        p++;
    char q = p < e && (*p == '"' || *p == '\'') ? *p++ : 0;
    size_t n = 0;
    while (p < e && n + 1 < size && *p != q && (q || (*p != ';' && !td_is_space(*p))))
        out[n++] = (char)td_ascii_lower(*p++);
    out[n] = '\0';
}

/* A UTF-16 byte-order mark (UTF-8's is valid UTF-8 anyway). */
static bool has_bom(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    return len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE));
}

/*
 * UTF-32 (with or without its byte-order mark) and UTF-16 without one,
 * recognised by how the mark or "<?" / "<" is encoded (XML F.1).
 */
static const char *xml_autodetect(const char *s, size_t len)
{
    static const struct {
        const char *bytes, *name;
    } sigs[] = {
        {"\0\0\xFE\xFF", "utf-32be"}, {"\xFF\xFE\0\0", "utf-32le"}, {"\0\0\0<", "utf-32be"},
        {"<\0\0\0", "utf-32le"},      {"\0<\0?", "utf-16be"},       {"<\0?\0", "utf-16le"},
    };
    if (len < 4)
        return NULL;
    for (size_t i = 0; i < TD_ARRAY_SIZE(sigs); i++)
        if (!memcmp(s, sigs[i].bytes, 4))
            return sigs[i].name;
    return NULL;
}

/*
 * UTF-32 to UTF-8 (the web's charset table leaves UTF-32 out; XML allows
 * it).  A leading byte-order mark is dropped, code points that are not
 * Unicode scalar values become U+FFFD, a trailing partial unit is ignored.
 */
static int decode_utf32(const char *data, size_t len, bool big_endian, struct td_buf *out)
{
    const unsigned char *u = (const unsigned char *)data;
    int err = 0;

    for (size_t i = 0; i + 4 <= len && !err; i += 4) {
        uint32_t cp = big_endian ? (uint32_t)u[i] << 24 | (uint32_t)u[i + 1] << 16 |
                                       (uint32_t)u[i + 2] << 8 | u[i + 3]
                                 : (uint32_t)u[i + 3] << 24 | (uint32_t)u[i + 2] << 16 |
                                       (uint32_t)u[i + 1] << 8 | u[i];
        if (i == 0 && cp == 0xFEFF)
            continue;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
            cp = 0xFFFD;
        char enc[4];
        err = td_buf_append(out, enc, td_utf8_encode(cp, enc));
    }
    return err;
}

/* Nothing but ASCII: any ASCII-compatible label decodes it the same way. */
static bool all_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Whether the raw bytes are valid UTF-8, computed once per document. */
struct validity {
    const char *data;
    size_t len;
    int valid; /* -1 not yet known */
};

static bool raw_valid(struct validity *v)
{
    if (v->valid < 0)
        v->valid = td_utf8_valid(v->data, v->len);
    return v->valid;
}

/*
 * Decode to UTF-8 and decide what to call the encoding.  The bytes are
 * decoded by the base chain (browser rules); the name reported follows RFC
 * 3023 as feedparser does (the HTTP charset, else for text/ types
 * us-ascii, else the XML declaration) whenever that name denotes the
 * encoding actually applied, else the applied encoding's canonical name.
 * `*text` gets the UTF-8: the input itself when it already is clean UTF-8
 * (the common case, no copy), else what was appended to `utf8`.
 */
static int decode_xml(struct td_feed_builder *b, const char *data, size_t len, struct td_buf *utf8,
                      struct td_str *text)
{
    const struct td_feed_opts *opts = b->opts;
    char http[64] = "", decl[64] = "";
    const char *used = "utf-8", *sniffed = xml_autodetect(data, len);
    struct validity raw = {data, len, -1};
    bool copied = true;
    int err;

    if (opts->content_type)
        label_of(opts->content_type, strlen(opts->content_type), true, http, sizeof(http));
    if (sniffed) {
        if (!strncmp(sniffed, "utf-32", 6))
            err = decode_utf32(data, len, !strcmp(sniffed, "utf-32be"), utf8);
        else
            err = td_charset_decode(data, len, sniffed, utf8);
        if (err < 0)
            return err;
        used = sniffed;
    } else {
        struct td_charset_opts co = {.content_type = opts->content_type, .is_xml = true};
        size_t bom;
        used = td_charset_sniff(data, len, &co, &bom);
        if (!strcmp(used, "utf-8") && raw_valid(&raw) && !memchr(data, 0, len)) {
            /* What td_charset_decode would copy unchanged. */
            *text = td_str_make(data + bom, len - bom);
            copied = false;
        } else if ((err = td_charset_decode(data + bom, len - bom, used, utf8)) < 0) {
            return err;
        }
        /*
         * A declaration of UTF-8 over bytes that are not UTF-8 is the most
         * common lie: decode as if nothing had been declared (detection,
         * then windows-1252) instead of turning the text into U+FFFD.
         */
        if (!*http && !strcmp(used, "utf-8") && !raw_valid(&raw) &&
            !(len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))) {
            td_buf_reset(utf8);
            co.is_xml = false;
            if ((err = td_charset_to_utf8(data, len, &co, utf8, &used)) < 0)
                return err;
            td_feed_bozo(b, "document is not in its declared encoding");
        }
    }
    if (copied)
        *text = td_buf_str(utf8);
    label_of(text->ptr, text->len, false, decl, sizeof(decl));
    if (!sniffed)
        label_of(data, len, false, decl, sizeof(decl));

    const char *report = used;
    bool text_type = opts->content_type &&
                     td_str_starts_with_nocase(td_str_c(opts->content_type), TD_STR_LIT("text/"));
    const char *want = *http ? http : text_type ? "us-ascii" : *decl ? decl : NULL;
    if (want) {
        const char *c = td_charset_canonical(want, strlen(want));
        /*
         * The label as given, when it names what was applied, except
         * where feedparser names it more exactly: gb2312 is read as its
         * superset gb18030, and "utf-16"/"utf-32" get their byte order.
         */
        if (c && !strcmp(c, used) && strcmp(want, "gb2312") != 0 &&
            strncmp(used, "utf-16", 6) != 0 && strncmp(used, "utf-32", 6) != 0)
            report = want;
        if (!c && *http)
            td_feed_bozo(b, "unknown encoding in Content-Type");
        /*
         * RFC 3023's us-ascii for text/ types without a charset: the bytes
         * decode the same whatever was applied if they are all ASCII.
         */
        if (!*http && text_type && !sniffed && all_ascii(data, len))
            report = "us-ascii";
    }
    /*
     * Nothing declared an encoding, so XML 1.0 (4.3.3) says UTF-8; bytes
     * that are not UTF-8 were decoded by a guess, which is worth flagging.
     */
    if (!*decl && !*http && !sniffed && !has_bom(data, len) && !raw_valid(&raw))
        td_feed_bozo(b, "no encoding declared and the bytes are not UTF-8");
    if (*decl && !*http && !sniffed) {
        const char *c = td_charset_canonical(decl, strlen(decl));
        if (!c || strcmp(c, used) != 0)
            td_feed_bozo(b, "declared encoding overridden");
    }
    /* Bytes the encoding could not decode became U+FFFD. */
    if (copied && td_str_find(*text, TD_STR_LIT("\xEF\xBF\xBD")) >= 0 &&
        td_str_find(td_str_make(data, len), TD_STR_LIT("\xEF\xBF\xBD")) < 0)
        td_feed_bozo(b, "bytes invalid in the document encoding");
    b->f->encoding = td_feed_strdup(b, report, strlen(report), false);
    return 0;
}

static bool looks_json(const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && td_is_space((unsigned char)s[i]))
        i++;
    return i < len && s[i] == '{';
}

int td_feed_parse(const char *data, size_t len, const struct td_feed_opts *opts,
                  struct td_feed **out)
{
    static const struct td_feed_opts no_opts;
    struct td_feed_builder b;
    struct td_buf utf8 = TD_BUF_INIT(TD_FEED_MAX_BYTES * 2);
    int err;

    *out = NULL;
    if (!opts)
        opts = &no_opts;
    if (len > TD_FEED_MAX_BYTES)
        return TD_ETOOBIG;
    if (td_str_trim(td_str_make(data, len)).len == 0)
        return TD_EEMPTY;

    struct td_feed *f = td_xcalloc(1, sizeof(*f));
    td_arena_init(&f->arena);
    td_feed_init_header(f);

    memset(&b, 0, sizeof(b));
    b.f = f;
    b.opts = opts;
    b.now = opts->now ? opts->now : time(NULL);
    b.base = opts->url ? opts->url : "";
    td_buf_init(&b.scratch, TD_URL_MAX);
    td_buf_init(&b.html, TD_FEED_MAX_TEXT);

    if (looks_json(data, len)) {
        if ((err = td_utf8_sanitize(data, len, &utf8)) < 0)
            goto out;
        f->encoding = "utf-8";
        err = td_feed_read_json(&b, utf8.buf, utf8.len);
    } else {
        struct td_str text;
        if ((err = decode_xml(&b, data, len, &utf8, &text)) < 0)
            goto out;
        if (opts->content_type && !xml_media_type(opts->content_type))
            td_feed_bozo(&b, "served with a non-XML media type");
        err = td_feed_read_xml(&b, text.ptr, text.len);
    }
    if (err < 0)
        goto out;
    td_feed_finish(&b);
    *out = f;
    f = NULL;
out:
    td_buf_release(&b.scratch);
    td_buf_release(&b.html);
    td_buf_release(&utf8);
    td_feed_free(f);
    return err;
}

void td_feed_free(struct td_feed *f)
{
    if (!f)
        return;
    td_arena_release(&f->arena);
    free(f);
}
