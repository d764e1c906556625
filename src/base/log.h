/*
 * log.h - one line per event, `key=value` fields, to stderr.
 *
 *     td_log_warn("fetch failed url=%s status=%d", url, status);
 *
 * prints `2026-11-24T17:02:03Z warn fetch failed url=... status=404`.
 * Messages below the current level are dropped; the level starts at
 * TD_LOG_INFO and can be changed with td_log_set_level (the CLI maps
 * TIDINGS_LOG=debug|info|warn|err onto it).
 */
#ifndef TD_LOG_H
#define TD_LOG_H

#include "base/compat.h"

enum td_log_level { TD_LOG_DEBUG, TD_LOG_INFO, TD_LOG_WARN, TD_LOG_ERR, TD_LOG_OFF };

void td_log_set_level(enum td_log_level level);
enum td_log_level td_log_get_level(void);
/* Parse "debug", "info", "warn", "err" or "off"; -1 if none of those. */
int td_log_level_parse(const char *name);
void td_log(enum td_log_level level, const char *fmt, ...) TD_PRINTF(2, 3);

#define td_log_debug(...) td_log(TD_LOG_DEBUG, __VA_ARGS__)
#define td_log_info(...) td_log(TD_LOG_INFO, __VA_ARGS__)
#define td_log_warn(...) td_log(TD_LOG_WARN, __VA_ARGS__)
#define td_log_err(...) td_log(TD_LOG_ERR, __VA_ARGS__)

#endif
