/*
 * date.c - a tolerant date parser for feed timestamps.
 *
 * Two passes: a strict ISO 8601 / RFC 3339 reader for strings that start
 * with a four-digit year, then a token reader for everything RFC 822-like.
 * The token reader classifies each token (weekday, month name, number,
 * h:m[:s] clock, AM/PM, zone) and fills the fields; an unknown word or a
 * field given twice fails the parse, so junk is refused rather than guessed.
 * The weekday is ignored (feeds get it wrong).  Civil time to epoch uses
 * the days-from-civil algorithm, so no libc time zone state is touched and
 * the code is reentrant.
 */
#include "base/compat.h"
#include "base/date.h"
#include "base/error.h"

enum dst_rule { DST_NONE, DST_US, DST_EU, DST_AU };

struct zone {
    const char *name;
    int std_min; /* minutes east of UTC outside DST */
    enum dst_rule rule;
};

/*
 * Abbreviations are fixed offsets (RFC 822 section 5 plus the ones feeds
 * use); IANA names carry a DST rule.  Ambiguous abbreviations (IST, CST)
 * take their most common reading in feeds: India and US Central.
 */
static const struct zone zones[] = {
    {"UT", 0, DST_NONE},
    {"UTC", 0, DST_NONE},
    {"GMT", 0, DST_NONE},
    {"Z", 0, DST_NONE},
    {"Etc/GMT", 0, DST_NONE},
    {"Etc/UTC", 0, DST_NONE},
    {"EST", -300, DST_NONE},
    {"EDT", -240, DST_NONE},
    {"CST", -360, DST_NONE},
    {"CDT", -300, DST_NONE},
    {"MST", -420, DST_NONE},
    {"MDT", -360, DST_NONE},
    {"PST", -480, DST_NONE},
    {"PDT", -420, DST_NONE},
    {"AKST", -540, DST_NONE},
    {"AKDT", -480, DST_NONE},
    {"HST", -600, DST_NONE},
    {"AST", -240, DST_NONE},
    {"ADT", -180, DST_NONE},
    {"NST", -210, DST_NONE},
    {"AT", -240, DST_NONE},
    {"ET", -300, DST_NONE},
    {"CT", -360, DST_NONE},
    {"MT", -420, DST_NONE},
    {"PT", -480, DST_NONE},
    {"WET", 0, DST_NONE},
    {"WEST", 60, DST_NONE},
    {"BST", 60, DST_NONE},
    {"CET", 60, DST_NONE},
    {"MET", 60, DST_NONE},
    {"CEST", 120, DST_NONE},
    {"MEST", 120, DST_NONE},
    {"MESZ", 120, DST_NONE},
    {"MEZ", 60, DST_NONE},
    {"EET", 120, DST_NONE},
    {"EEST", 180, DST_NONE},
    {"MSK", 180, DST_NONE},
    {"IST", 330, DST_NONE},
    {"ICT", 420, DST_NONE},
    {"WIB", 420, DST_NONE},
    {"SGT", 480, DST_NONE},
    {"HKT", 480, DST_NONE},
    {"AWST", 480, DST_NONE},
    {"PHT", 480, DST_NONE},
    {"JST", 540, DST_NONE},
    {"KST", 540, DST_NONE},
    {"ACST", 570, DST_NONE},
    {"AEST", 600, DST_NONE},
    {"AEDT", 660, DST_NONE},
    {"NZST", 720, DST_NONE},
    {"NZDT", 780, DST_NONE},
    {"BRT", -180, DST_NONE},
    {"ART", -180, DST_NONE},
    {"America/New_York", -300, DST_US},
    {"America/Toronto", -300, DST_US},
    {"America/Detroit", -300, DST_US},
    {"America/Chicago", -360, DST_US},
    {"America/Denver", -420, DST_US},
    {"America/Phoenix", -420, DST_NONE},
    {"America/Los_Angeles", -480, DST_US},
    {"America/Vancouver", -480, DST_US},
    {"America/Anchorage", -540, DST_US},
    {"America/Halifax", -240, DST_US},
    {"America/Sao_Paulo", -180, DST_NONE},
    {"America/Argentina/Buenos_Aires", -180, DST_NONE},
    {"America/Mexico_City", -360, DST_NONE},
    {"America/Bogota", -300, DST_NONE},
    {"US/Eastern", -300, DST_US},
    {"US/Central", -360, DST_US},
    {"US/Mountain", -420, DST_US},
    {"US/Pacific", -480, DST_US},
    {"Pacific/Honolulu", -600, DST_NONE},
    {"Europe/London", 0, DST_EU},
    {"Europe/Dublin", 0, DST_EU},
    {"Europe/Lisbon", 0, DST_EU},
    {"Europe/Paris", 60, DST_EU},
    {"Europe/Berlin", 60, DST_EU},
    {"Europe/Madrid", 60, DST_EU},
    {"Europe/Rome", 60, DST_EU},
    {"Europe/Amsterdam", 60, DST_EU},
    {"Europe/Brussels", 60, DST_EU},
    {"Europe/Vienna", 60, DST_EU},
    {"Europe/Zurich", 60, DST_EU},
    {"Europe/Stockholm", 60, DST_EU},
    {"Europe/Oslo", 60, DST_EU},
    {"Europe/Copenhagen", 60, DST_EU},
    {"Europe/Warsaw", 60, DST_EU},
    {"Europe/Prague", 60, DST_EU},
    {"Europe/Budapest", 60, DST_EU},
    {"Europe/Athens", 120, DST_EU},
    {"Europe/Helsinki", 120, DST_EU},
    {"Europe/Kiev", 120, DST_EU},
    {"Europe/Kyiv", 120, DST_EU},
    {"Europe/Bucharest", 120, DST_EU},
    {"Europe/Istanbul", 180, DST_NONE},
    {"Europe/Moscow", 180, DST_NONE},
    {"Africa/Cairo", 120, DST_NONE},
    {"Africa/Johannesburg", 120, DST_NONE},
    {"Africa/Lagos", 60, DST_NONE},
    {"Africa/Nairobi", 180, DST_NONE},
    {"Asia/Dubai", 240, DST_NONE},
    {"Asia/Karachi", 300, DST_NONE},
    {"Asia/Kolkata", 330, DST_NONE},
    {"Asia/Calcutta", 330, DST_NONE},
    {"Asia/Dhaka", 360, DST_NONE},
    {"Asia/Bangkok", 420, DST_NONE},
    {"Asia/Jakarta", 420, DST_NONE},
    {"Asia/Ho_Chi_Minh", 420, DST_NONE},
    {"Asia/Shanghai", 480, DST_NONE},
    {"Asia/Hong_Kong", 480, DST_NONE},
    {"Asia/Taipei", 480, DST_NONE},
    {"Asia/Singapore", 480, DST_NONE},
    {"Asia/Manila", 480, DST_NONE},
    {"Asia/Tokyo", 540, DST_NONE},
    {"Asia/Seoul", 540, DST_NONE},
    {"Asia/Jerusalem", 120, DST_NONE},
    {"Asia/Tehran", 210, DST_NONE},
    {"Australia/Perth", 480, DST_NONE},
    {"Australia/Brisbane", 600, DST_NONE},
    {"Australia/Sydney", 600, DST_AU},
    {"Australia/Melbourne", 600, DST_AU},
    {"Pacific/Auckland", 720, DST_NONE},
};

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const month_full[] = {"january",   "february", "march",    "april",
                                         "may",       "june",     "july",     "august",
                                         "september", "october",  "november", "december"};
static const char *const weekdays[] = {
    "mon",       "tue",      "wed",    "thu",      "fri",    "sat",  "sun",  "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "tues", "thur", "thurs"};

struct fields {
    int64_t year;
    int month, day, hour, min, sec;
    bool have_year, have_month, have_day, have_time, have_zone;
    int ampm; /* 0 none, 1 am, 2 pm */
    int zone_min;
    const struct zone *zone_rule; /* IANA zone whose DST must be applied */
};

time_t td_date_from_civil(int64_t y, int m, int d, int hour, int min, int sec)
{
    /* days_from_civil (H. Hinnant): proleptic Gregorian, March-based year. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 719468;
    return (time_t)(days * 86400 + hour * 3600 + min * 60 + sec);
}

static int days_in_month(int64_t y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

/* Day of week, 0 = Sunday, for a civil date. */
static int weekday(int64_t y, int m, int d)
{
    int64_t days = td_date_from_civil(y, m, d, 0, 0, 0) / 86400;
    int w = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    return w;
}

/* Day of month of the n-th (1-based; 0 = last) Sunday of a month. */
static int nth_sunday(int64_t y, int m, int n)
{
    if (n == 0) {
        int last = days_in_month(y, m);
        return last - weekday(y, m, last);
    }
    int first = 1 + (7 - weekday(y, m, 1)) % 7;
    return first + 7 * (n - 1);
}

/* Offset in minutes for an IANA-like zone at a local civil time. */
static int zone_offset_at(const struct zone *z, const struct fields *f)
{
    time_t local = td_date_from_civil(f->year, f->month, f->day, f->hour, f->min, f->sec);
    time_t start, end;

    switch (z->rule) {
    case DST_US: /* second Sunday of March to first Sunday of November, 02:00 local */
        start = td_date_from_civil(f->year, 3, nth_sunday(f->year, 3, 2), 2, 0, 0);
        end = td_date_from_civil(f->year, 11, nth_sunday(f->year, 11, 1), 1, 0, 0);
        return local >= start && local < end ? z->std_min + 60 : z->std_min;
    case DST_EU: { /* last Sunday of March to last Sunday of October, 01:00 UTC */
        time_t utc = local - z->std_min * 60;
        start = td_date_from_civil(f->year, 3, nth_sunday(f->year, 3, 0), 1, 0, 0);
        end = td_date_from_civil(f->year, 10, nth_sunday(f->year, 10, 0), 0, 0, 0);
        return utc >= start && utc < end ? z->std_min + 60 : z->std_min;
    }
    case DST_AU: /* first Sunday of October to first Sunday of April, 02:00 local */
        start = td_date_from_civil(f->year, 4, nth_sunday(f->year, 4, 1), 2, 0, 0);
        end = td_date_from_civil(f->year, 10, nth_sunday(f->year, 10, 1), 2, 0, 0);
        return local < start || local >= end ? z->std_min + 60 : z->std_min;
    case DST_NONE:
        break;
    }
    return z->std_min;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Read exactly `n` digits at *p; -1 if there are fewer. */
static int digits(const char **p, const char *end, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= end || !is_digit(**p))
            return -1;
        v = v * 10 + (*(*p)++ - '0');
    }
    return v;
}

/*
 * A numeric offset "+hh", "+hhmm", "+hh:mm" or "+h" at [p, end) (the whole
 * range must be consumed).  Minutes east of UTC in *out.
 */
static int parse_offset(const char *p, const char *end, int *out)
{
    if (p >= end || (*p != '+' && *p != '-'))
        return TD_EPARSE;
    int sign = *p++ == '-' ? -1 : 1;
    const char *d = p;
    while (p < end && is_digit(*p))
        p++;
    size_t nd = (size_t)(p - d);
    int h, m = 0;
    if (nd == 1 || nd == 2) {
        h = (int)(d[0] - '0');
        if (nd == 2)
            h = h * 10 + (d[1] - '0');
        if (p < end && *p == ':') {
            p++;
            if ((m = digits(&p, end, 2)) < 0)
                return TD_EPARSE;
        }
    } else if (nd == 4) {
        h = (d[0] - '0') * 10 + (d[1] - '0');
        m = (d[2] - '0') * 10 + (d[3] - '0');
    } else {
        return TD_EPARSE;
    }
    if (p != end || h > 23 || m > 59)
        return TD_EPARSE;
    *out = sign * (h * 60 + m);
    return 0;
}

static const struct zone *zone_find(const char *p, size_t n)
{
    for (size_t i = 0; i < TD_ARRAY_SIZE(zones); i++)
        if (td_str_eq_nocase(td_str_c(zones[i].name), td_str_make(p, n)))
            return &zones[i];
    return NULL;
}

/*
 * A zone token: a numeric offset, a known name, or a name followed by an
 * offset ("GMT+7", "UTC-05:00", "Etc/GMT-3", whose POSIX sign is inverted).
 */
static int parse_zone(const char *p, const char *end, struct fields *f)
{
    if (p < end && (*p == '+' || *p == '-')) {
        f->zone_rule = NULL;
        return parse_offset(p, end, &f->zone_min);
    }
    const char *s = p;
    while (p < end && *p != '+' && *p != '-')
        p++;
    const struct zone *z = zone_find(s, (size_t)(p - s));
    if (!z)
        return TD_EPARSE;
    if (p < end) {
        int off;
        if (z->std_min != 0 || z->rule != DST_NONE || parse_offset(p, end, &off) < 0)
            return TD_EPARSE;
        f->zone_min = td_str_starts_with_nocase(td_str_c(s), TD_STR_LIT("Etc/")) ? -off : off;
        f->zone_rule = NULL;
        return 0;
    }
    f->zone_rule = z->rule != DST_NONE ? z : NULL;
    f->zone_min = z->std_min;
    return 0;
}

/* ISO 8601 / RFC 3339 / W3C-DTF.  The whole string must be consumed. */
static int parse_iso(const char *p, const char *end, struct fields *f)
{
    int v;
    bool basic = false;

    if ((v = digits(&p, end, 4)) < 0)
        return TD_EPARSE;
    f->year = v;
    f->month = f->day = 1;
    f->have_year = f->have_month = f->have_day = true;
    if (p == end)
        return 0;
    if (*p == '-') {
        p++;
    } else if (is_digit(*p)) {
        basic = true;
    } else {
        return TD_EPARSE;
    }
    if ((f->month = digits(&p, end, 2)) < 0) {
        /* "2003-012-31": a three-digit month, seen in the wild */
        return TD_EPARSE;
    }
    if (p < end && is_digit(*p) && !basic) {
        if (f->month > 1)
            return TD_EPARSE;
        f->month = f->month * 10 + (*p++ - '0');
    }
    if (p == end)
        return 0;
    if (!basic) {
        if (*p != '-')
            return TD_EPARSE;
        p++;
    }
    if ((f->day = digits(&p, end, 2)) < 0)
        return TD_EPARSE;
    if (p == end)
        return 0;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return TD_EPARSE;
    p++;
    while (p < end && *p == ' ')
        p++;
    f->have_time = true;
    if ((f->hour = digits(&p, end, 2)) < 0)
        return TD_EPARSE;
    if (p < end && *p == ':')
        p++;
    if ((f->min = digits(&p, end, 2)) < 0)
        return TD_EPARSE;
    if (p < end && (*p == ':' || (basic && is_digit(*p)))) {
        if (*p == ':')
            p++;
        if ((f->sec = digits(&p, end, 2)) < 0)
            return TD_EPARSE;
        if (p < end && (*p == '.' || *p == ',')) {
            p++;
            if (p >= end || !is_digit(*p))
                return TD_EPARSE;
            while (p < end && is_digit(*p))
                p++;
        }
    }
    while (p < end && *p == ' ')
        p++;
    if (p == end)
        return 0;
    f->have_zone = true;
    if ((*p == 'Z' || *p == 'z') && p + 1 == end) {
        f->zone_min = 0;
        return 0;
    }
    return parse_zone(p, end, f);
}

static int word_index(const char *p, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (td_str_eq_nocase(td_str_c(list[i]), td_str_make(p, n)))
            return (int)i;
    return -1;
}

/* An "h:m[:s[.frac]]" clock token. */
static int parse_clock(const char *p, const char *end, struct fields *f)
{
    int part[3] = {0, 0, 0}, n = 0;

    while (p < end) {
        if (n == 3)
            return TD_EPARSE;
        const char *d = p;
        int v = 0;
        while (p < end && is_digit(*p) && p - d < 3)
            v = v * 10 + (*p++ - '0');
        if (p == d || p - d > 2)
            return TD_EPARSE;
        part[n++] = v;
        if (p < end && *p == ':') {
            p++;
            if (p == end)
                return TD_EPARSE;
        } else if (p < end && *p == '.' && n == 3) {
            p++;
            while (p < end && is_digit(*p))
                p++;
        } else if (p < end) {
            return TD_EPARSE;
        }
    }
    if (n < 2 || f->have_time)
        return TD_EPARSE;
    f->hour = part[0];
    f->min = part[1];
    f->sec = part[2];
    f->have_time = true;
    return 0;
}

static int take_number(int64_t v, size_t nd, struct fields *f)
{
    if (nd >= 3 || v > 31) {
        if (f->have_year || nd > 4)
            return TD_EPARSE;
        f->year = nd > 2 ? v : v < 70 ? 2000 + v : 1900 + v; /* RFC 2822 4.3 */
        f->have_year = true;
    } else if (!f->have_day) {
        f->day = (int)v;
        f->have_day = true;
    } else if (!f->have_year) {
        f->year = v < 70 ? 2000 + v : 1900 + v; /* RFC 2822 4.3 */
        f->have_year = true;
    } else {
        return TD_EPARSE;
    }
    return 0;
}

/* "2006/09/15" (year first) inside an otherwise RFC 822-like string. */
static int parse_slashed(const char *p, const char *end, struct fields *f)
{
    int y, m, d;
    if ((y = digits(&p, end, 4)) < 0 || p >= end || (*p != '/' && *p != '-'))
        return TD_EPARSE;
    p++;
    if ((m = digits(&p, end, 2)) < 0 || p >= end || (*p != '/' && *p != '-'))
        return TD_EPARSE;
    p++;
    if ((d = digits(&p, end, 2)) < 0 || p != end || f->have_year || f->have_month || f->have_day)
        return TD_EPARSE;
    f->year = y;
    f->month = m;
    f->day = d;
    f->have_year = f->have_month = f->have_day = true;
    return 0;
}

static int parse_word(const char *p, size_t n, struct fields *f)
{
    int i;

    if ((i = word_index(p, n, months, 12)) >= 0 || (i = word_index(p, n, month_full, 12)) >= 0) {
        if (f->have_month)
            return TD_EPARSE;
        f->month = i + 1;
        f->have_month = true;
        return 0;
    }
    if (word_index(p, n, weekdays, TD_ARRAY_SIZE(weekdays)) >= 0)
        return f->have_month || f->have_day ? TD_EPARSE : 0;
    if (td_str_eq_nocase(td_str_make(p, n), TD_STR_LIT("am")) ||
        td_str_eq_nocase(td_str_make(p, n), TD_STR_LIT("pm"))) {
        if (f->ampm || !f->have_time)
            return TD_EPARSE;
        f->ampm = (p[0] | 0x20) == 'a' ? 1 : 2;
        return 0;
    }
    if (f->have_zone)
        return TD_EPARSE;
    f->have_zone = true;
    return parse_zone(p, p + n, f);
}

/* RFC 822 and its relatives: a sequence of classified tokens. */
static int parse_tokens(const char *p, const char *end, struct fields *f)
{
    while (p < end) {
        if (*p == ' ' || *p == ',' || *p == '\t') {
            p++;
            continue;
        }
        const char *s = p;
        int err;
        if (is_alpha(*p)) {
            while (p < end && (is_alpha(*p) || *p == '/' || *p == '_'))
                p++;
            size_t n = (size_t)(p - s);
            /* "GMT+7", "UTC-05:00": a zone name glued to an offset */
            if (p < end && (*p == '+' || *p == '-') && zone_find(s, n)) {
                p++;
                while (p < end && (is_digit(*p) || *p == ':'))
                    p++;
                if (f->have_zone)
                    return TD_EPARSE;
                f->have_zone = true;
                err = parse_zone(s, p, f);
            } else {
                err = parse_word(s, n, f);
            }
        } else if (is_digit(*p)) {
            while (p < end && (is_digit(*p) || *p == ':' || *p == '.' || *p == '/' || *p == '-'))
                p++;
            struct td_str tok = td_str_make(s, (size_t)(p - s));
            if (memchr(tok.ptr, ':', tok.len)) {
                err = parse_clock(s, p, f);
            } else if (memchr(tok.ptr, '/', tok.len) || memchr(tok.ptr, '-', tok.len)) {
                err = parse_slashed(s, p, f);
            } else if (memchr(tok.ptr, '.', tok.len)) {
                err = TD_EPARSE;
            } else {
                int64_t v = 0;
                for (size_t i = 0; i < tok.len && i < 9; i++)
                    v = v * 10 + (tok.ptr[i] - '0');
                err = take_number(v, tok.len, f);
            }
            /* "8:28pm": AM/PM glued to the clock */
            if (!err && p < end && is_alpha(*p)) {
                const char *w = p;
                while (p < end && is_alpha(*p))
                    p++;
                err = parse_word(w, (size_t)(p - w), f);
            }
        } else if (*p == '+' || *p == '-') {
            p++;
            while (p < end && (is_digit(*p) || *p == ':'))
                p++;
            if (f->have_zone || !f->have_time)
                return TD_EPARSE;
            f->have_zone = true;
            err = parse_zone(s, p, f);
        } else if (*p == '(') {
            /* RFC 822 comment, e.g. "+0000 (UTC)" */
            while (p < end && *p != ')')
                p++;
            if (p < end)
                p++;
            err = 0;
        } else {
            return TD_EPARSE;
        }
        if (err)
            return err;
    }
    return f->have_year && f->have_month && f->have_day ? 0 : TD_EPARSE;
}

static int finish(struct fields *f, const char *default_zone, time_t *out, unsigned *flags)
{
    if (f->ampm) {
        if (f->hour < 1 || f->hour > 12)
            return TD_EPARSE;
        f->hour = f->hour % 12 + (f->ampm == 2 ? 12 : 0);
    }
    if (f->year < 0 || f->year > 9999 || f->month < 1 || f->month > 12 || f->day < 1 ||
        f->day > days_in_month(f->year, f->month) || f->hour > 24 || f->min > 59 || f->sec > 60)
        return TD_EPARSE;
    if (f->hour == 24 && (f->min || f->sec))
        return TD_EPARSE;
    if (f->sec == 60)
        f->sec = 59; /* a leap second lands on the second before */
    if (!f->have_zone) {
        struct fields z = *f;
        if (flags)
            *flags |= TD_DATE_NOZONE;
        if (default_zone && parse_zone(default_zone, default_zone + strlen(default_zone), &z) == 0)
            f->zone_min = z.zone_rule ? zone_offset_at(z.zone_rule, f) : z.zone_min;
        else
            f->zone_min = 0;
    } else if (f->zone_rule) {
        f->zone_min = zone_offset_at(f->zone_rule, f);
    }
    *out = td_date_from_civil(f->year, f->month, f->day, f->hour, f->min, f->sec) -
           (time_t)f->zone_min * 60;
    return 0;
}

int td_date_parse(struct td_str s, const char *default_zone, time_t *out, unsigned *flags)
{
    struct fields f;
    int err;

    memset(&f, 0, sizeof(f));
    if (flags)
        *flags = 0;
    s = td_str_trim(s);
    if (s.len == 0 || s.len > 128)
        return TD_EPARSE;
    const char *p = s.ptr, *end = s.ptr + s.len;
    if (s.len >= 4 && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
        (s.len == 4 || !is_digit(p[4]) || s.len >= 8)) {
        err = parse_iso(p, end, &f);
        if (err) {
            memset(&f, 0, sizeof(f));
            err = parse_tokens(p, end, &f);
        }
    } else {
        err = parse_tokens(p, end, &f);
    }
    if (err)
        return err;
    return finish(&f, default_zone, out, flags);
}

bool td_date_zone_known(struct td_str name)
{
    struct fields f;
    memset(&f, 0, sizeof(f));
    return name.len > 0 && parse_zone(name.ptr, name.ptr + name.len, &f) == 0;
}

void td_date_format_iso(time_t t, char *out, size_t size)
{
    int64_t days = (int64_t)t / 86400, rem = (int64_t)t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    /* civil_from_days (H. Hinnant) */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    int64_t y = yoe + era * 400 + (m <= 2);
    snprintf(out, size, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
}
