/*
 * log.c - the line logger (see log.h).  Each line is formatted in full and
 * written with one fwrite so that lines from several threads do not mix.
 */
#include "base/compat.h"
#include "base/log.h"

#include <stdarg.h>
#include <time.h>

static enum td_log_level current = TD_LOG_INFO;

static const char *const names[] = {"debug", "info", "warn", "err", "off"};

void td_log_set_level(enum td_log_level level)
{
    current = level;
}

enum td_log_level td_log_get_level(void)
{
    return current;
}

int td_log_level_parse(const char *name)
{
    for (size_t i = 0; i < TD_ARRAY_SIZE(names); i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

void td_log(enum td_log_level level, const char *fmt, ...)
{
    char line[2048];
    struct tm tm;
    time_t now;
    va_list ap;

    if (level < current || level >= TD_LOG_OFF)
        return;
    now = time(NULL);
    gmtime_r(&now, &tm);
    size_t n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += (size_t)snprintf(line + n, sizeof(line) - n, "%s ", names[level]);
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    n += TD_MIN((size_t)m, sizeof(line) - n - 2);
    line[n++] = '\n';
    fwrite(line, 1, n, stderr);
}
