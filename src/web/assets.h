/*
 * assets.h - static files compiled into the binary (served under /static/).
 */
#ifndef TD_WEB_ASSETS_H
#define TD_WEB_ASSETS_H

#include <stddef.h>

extern const char td_web_style_css[];
extern const size_t td_web_style_css_len;

/* /static/app.js: the progressive script (see script.c). */
extern const char td_web_app_js[];
extern const size_t td_web_app_js_len;

/* The script's URL with a version from its bytes, e.g. "/static/app.js?v=1a2b3c4d". */
const char *td_web_app_js_url(void);

#endif
