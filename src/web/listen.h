/*
 * listen.h - the on-disk cache behind GET /articles/ID/listen.
 *
 * Speech is synthesized once per article version and kept as a file named
 * after the article id and a hash of what was spoken ("a42-1f3c....opus"),
 * so an edited article gets new audio and the old file ages out.  The
 * directory is size-capped: after each write the oldest files go until the
 * total is under the cap.  Concurrent misses for the same article wait
 * for one synthesis instead of repeating it.
 */
#ifndef TD_WEB_LISTEN_H
#define TD_WEB_LISTEN_H

#include "base/compat.h"
#include "base/buf.h"

struct td_web_listen {
    const char *dir; /* cache directory (created if missing) */
    size_t dir_cap;  /* bytes the directory may hold */
    size_t file_cap; /* bytes one audio file may have */
};

/*
 * Append the audio for article `id` speaking `text` in `lang` to `out`,
 * from the cache or freshly synthesized; `*hit` (may be NULL) says which.
 * Audio over `file_cap` is TD_ETOOBIG; other errors are td_tts_speak's.  A
 * cache that cannot be written is logged and the audio returned anyway.
 */
int td_web_listen_get(const struct td_web_listen *l, int64_t id, const char *text, const char *lang,
                      struct td_buf *out, bool *hit);

#endif
