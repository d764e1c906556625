/*
 * assets.h - static files compiled into the binary (served under /static/).
 */
#ifndef TD_WEB_ASSETS_H
#define TD_WEB_ASSETS_H

#include <stddef.h>

extern const char td_web_style_css[];
extern const size_t td_web_style_css_len;

#endif
