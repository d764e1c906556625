/*
 * date.h - parse the dates feeds carry, as they really are written.
 *
 * Accepted: RFC 822/1123/2822 ("Thu, 01 Jan 2004 19:48:21 GMT") with
 * numeric or named zones (EST, PDT, CEST, ...); RFC 3339 / ISO 8601 /
 * W3C-DTF ("2003-12-31T10:14:55.12-08:00", "2003-12", "20031231T101455Z");
 * asctime ("Sun Jan  4 16:29:06 2004"); and the broken forms seen in the
 * wild: a 12-hour clock ("Sat, Oct 28 2023 08:28:28 PM"), "GMT+7",
 * "UTC-05:30", IANA names ("America/Los_Angeles", a table of common ones
 * with their DST rules), two-digit years, missing seconds or time, missing
 * or wrong weekday, stray commas.  Anything else is refused (TD_EPARSE)
 * rather than guessed.
 */
#ifndef TD_DATE_H
#define TD_DATE_H

#include "base/compat.h"
#include "base/str.h"

#include <time.h>

enum td_date_flags {
    TD_DATE_NOZONE = 1 << 0, /* the string had no zone; the default zone was applied */
};

/*
 * Parse `s` into seconds since the epoch (UTC).  `default_zone` is used when
 * the string carries no zone: a name this module knows ("Europe/Paris",
 * "EST", "UTC+3", "+05:30"); NULL or an unknown name means UTC.  `*flags`
 * (if not NULL) receives TD_DATE_* bits.  Returns 0 or TD_EPARSE.
 */
int td_date_parse(struct td_str s, const char *default_zone, time_t *out, unsigned *flags);

/*
 * True if `name` is a zone td_date_parse understands (used to validate a
 * configured default zone).
 */
bool td_date_zone_known(struct td_str name);

/* Seconds since the epoch for a UTC civil time (month 1-12); no range checks. */
time_t td_date_from_civil(int64_t year, int month, int day, int hour, int min, int sec);

/* Write `t` as "YYYY-MM-DDThh:mm:ssZ" into `out` (at least 32 bytes). */
void td_date_format_iso(time_t t, char *out, size_t size);

#endif
