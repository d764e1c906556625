/*
 * form.c - urlencoded parsing and percent-decoding (see form.h).
 */
#include "base/compat.h"
#include "base/error.h"
#include "base/utf8.h"
#include "web/form.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool td_web_utf8_ok(const char *s, size_t len)
{
    return memchr(s, '\0', len) == NULL && td_utf8_valid(s, len);
}

/* Decode `s` into the arena; `plus` turns '+' into a space. */
static int decode(struct td_str s, bool plus, struct td_arena *arena, struct td_str *out)
{
    char *d = td_arena_alloc(arena, s.len + 1);
    size_t n = 0;

    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '%') {
            if (s.len - i < 3)
                return TD_EPARSE;
            int hi = hexval((unsigned char)s.ptr[i + 1]);
            int lo = hexval((unsigned char)s.ptr[i + 2]);
            if (hi < 0 || lo < 0)
                return TD_EPARSE;
            d[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus) {
            d[n++] = ' ';
        } else {
            d[n++] = c;
        }
    }
    d[n] = '\0';
    if (!td_web_utf8_ok(d, n))
        return TD_EPARSE;
    *out = td_str_make(d, n);
    return 0;
}

int td_web_pct_decode(struct td_str s, struct td_arena *arena, struct td_str *out)
{
    return decode(s, false, arena, out);
}

int td_web_form_parse(struct td_web_form *form, struct td_str s, struct td_arena *arena)
{
    size_t pos = 0;

    while (pos < s.len) {
        size_t end = pos;
        while (end < s.len && s.ptr[end] != '&')
            end++;
        struct td_str pair = td_str_make(s.ptr + pos, end - pos);
        pos = end + 1;
        if (pair.len == 0)
            continue;
        if (form->n == TD_WEB_FORM_MAX_FIELDS)
            return TD_ETOOBIG;
        ptrdiff_t eq = td_str_find(pair, TD_STR_LIT("="));
        struct td_str name = eq < 0 ? pair : td_str_make(pair.ptr, (size_t)eq);
        struct td_str value = eq < 0 ? TD_STR_NULL : td_str_sub(pair, (size_t)eq + 1, pair.len);
        struct td_web_field *f = &form->fields[form->n];
        int rc = decode(name, true, arena, &f->name);
        if (rc == 0)
            rc = decode(value, true, arena, &f->value);
        if (rc < 0)
            return rc;
        form->n++;
    }
    return 0;
}

const char *td_web_form_get(const struct td_web_form *form, const char *name, const char *def)
{
    struct td_str n = td_str_c(name);

    for (size_t i = 0; i < form->n; i++)
        if (td_str_eq(form->fields[i].name, n))
            return form->fields[i].value.ptr;
    return def;
}
