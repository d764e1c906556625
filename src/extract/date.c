/*
 * date.c - normalize the date strings pages carry (ISO 8601 variants,
 * RFC 822/1123, "June 8, 2025", Unix seconds) to ISO 8601 with an explicit
 * offset: 2025-06-08T10:00:00+00:00.  A date without a time gets midnight,
 * a time without an offset is taken as UTC.
 */
#include "base/compat.h"
#include "extract/extract_int.h"

static int month_of(const char *s, size_t n)
{
    static const char *const m[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (td_ascii_lower((unsigned char)s[0]) == m[i][0] &&
            td_ascii_lower((unsigned char)s[1]) == m[i][1] &&
            td_ascii_lower((unsigned char)s[2]) == m[i][2])
            return i + 1;
    return 0;
}

static int digits(const char *s, size_t n, size_t *i, int max, int *out)
{
    int v = 0, k = 0;
    while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    *out = v;
    return k;
}

/* Days since 1970-01-01 to civil date (Howard Hinnant's algorithm). */
static void civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* Time and offset after the date part: "T10:00:00.123+02:00", " 10:00 GMT". */
static void parse_time(const char *s, size_t n, size_t i, int *hh, int *mi, int *ss, int *off)
{
    if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' '))
        i++;
    while (i < n && s[i] == ' ')
        i++;
    if (digits(s, n, &i, 2, hh) == 0)
        return;
    if (i < n && s[i] == ':') {
        i++;
        digits(s, n, &i, 2, mi);
        if (i < n && s[i] == ':') {
            i++;
            digits(s, n, &i, 2, ss);
        }
    }
    if (i < n && (s[i] == '.' || s[i] == ','))
        while (++i < n && s[i] >= '0' && s[i] <= '9')
            ;
    while (i < n && s[i] == ' ')
        i++;
    if (i + 1 < n && (s[i] == 'p' || s[i] == 'P') && (s[i + 1] == 'm' || s[i + 1] == 'M')) {
        if (*hh < 12)
            *hh += 12;
        i += 2;
    } else if (i + 1 < n && (s[i] == 'a' || s[i] == 'A') && (s[i + 1] == 'm' || s[i + 1] == 'M')) {
        if (*hh == 12)
            *hh = 0;
        i += 2;
    }
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        int sign = s[i] == '-' ? -1 : 1, oh = 0, om = 0;
        i++;
        digits(s, n, &i, 2, &oh);
        if (i < n && s[i] == ':')
            i++;
        digits(s, n, &i, 2, &om);
        *off = sign * (oh * 60 + om);
    }
}

const char *ex_date(struct ex *e, struct td_str in)
{
    in = td_str_trim(in);
    const char *s = in.ptr;
    size_t n = in.len, i = 0;
    int y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0, off = 0;

    if (n == 0 || n > 64)
        return NULL;
    int k = digits(s, n, &i, 12, &y);
    if (k == 4 && i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
        /* 2025-06-08, 2025/06/08 */
        i++;
        digits(s, n, &i, 2, &mo);
        if (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.'))
            i++;
        digits(s, n, &i, 2, &d);
        parse_time(s, n, i, &hh, &mi, &ss, &off);
    } else if (k >= 9 && i == n) {
        /* Unix seconds (or milliseconds). */
        long long t = 0;
        for (size_t j = 0; j < n; j++)
            t = t * 10 + (s[j] - '0');
        if (k >= 12)
            t /= 1000;
        civil((long)(t / 86400), &y, &mo, &d);
        long r = (long)(t % 86400);
        hh = (int)(r / 3600);
        mi = (int)(r / 60 % 60);
        ss = (int)(r % 60);
    } else {
        /* "Tue, 08 Jun 2025 10:00:00 GMT", "June 8, 2025 10:00 AM", "8 June 2025". */
        i = 0;
        while (i < n && mo == 0) {
            while (i < n && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                              (s[i] >= '0' && s[i] <= '9')))
                i++;
            size_t st = i;
            if (i < n && s[i] >= '0' && s[i] <= '9') {
                int v;
                digits(s, n, &i, 4, &v);
                if (i - st == 4)
                    y = v;
                else
                    d = v;
                continue;
            }
            while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
                i++;
            mo = month_of(s + st, i - st);
        }
        while (i < n && (s[i] == ' ' || s[i] == ',' || s[i] == '.'))
            i++;
        if (d == 0)
            digits(s, n, &i, 2, &d);
        while (i < n && (s[i] == ' ' || s[i] == ','))
            i++;
        if (y == 0)
            digits(s, n, &i, 4, &y);
        parse_time(s, n, i, &hh, &mi, &ss, &off);
    }
    if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mi > 59 ||
        ss > 60 || off < -24 * 60 || off > 24 * 60)
        return NULL;
    char *out = td_arena_alloc(e->arena, 64);
    int ao = off < 0 ? -off : off;
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d, hh, mi, ss,
             off < 0 ? '-' : '+', ao / 60, ao % 60);
    return out;
}
