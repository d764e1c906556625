/*
 * tts.h - "Listen": text to speech with espeak-ng, encoded as Ogg Opus
 * (libopusenc), or as WAV when the build has no libopusenc.
 *
 * espeak-ng keeps global state, so synthesis is serialized behind one lock:
 * callers on many threads are safe but take turns.  Speech is slow to make
 * compared with serving a file, which is why the web layer caches it.
 */
#ifndef TD_TTS_H
#define TD_TTS_H

#include "base/compat.h"
#include "base/buf.h"

#define TD_TTS_TEXT_MAX (24 * 1024) /* bytes of text spoken; the rest is cut at a sentence */

enum td_tts_format { TD_TTS_OPUS, TD_TTS_WAV };

/* The format this build produces, its media type and file extension. */
enum td_tts_format td_tts_format(void);
const char *td_tts_mime(enum td_tts_format f);
const char *td_tts_ext(enum td_tts_format f);

/*
 * Speak `len` bytes of UTF-8 `text` in language `lang` (a BCP 47 tag such as
 * "en", "fr-CA"; NULL or unknown falls back to the primary subtag, then to
 * English) and append the encoded audio to `out`, whose cap applies
 * (TD_ETOOBIG).  Text beyond TD_TTS_TEXT_MAX is cut at the last sentence
 * end before it.  TD_EEMPTY for text with nothing to say, TD_EIO when the
 * synthesizer or encoder fails.
 */
int td_tts_speak(const char *text, size_t len, const char *lang, struct td_buf *out);

/* The length of the prefix of `text` that td_tts_speak would speak. */
size_t td_tts_cut(const char *text, size_t len, size_t max);

/* Release the synthesizer's global state (at exit, so leak checkers stay quiet). */
void td_tts_shutdown(void);

#endif
